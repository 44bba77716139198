//! The README's list of error codes (From Node, "Every failure is an
//! `Error` with a stable `code`") names every code the engine can give:
//! core's (`core/src/error.rs`) and the JavaScript surface's own (`js/src/fault.rs`,
//! the addon's and the WebAssembly build's),
//! and no code that does not exist.

use std::collections::BTreeSet;
use std::path::Path;

fn codes(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("ODX_") {
        let tail = &rest[at..];
        let len = tail.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_').count();
        let code = tail[..len].trim_end_matches('_');
        // `ODX_*` in prose names the family, not a code.
        if code != "ODX" {
            out.insert(code.to_owned());
        }
        rest = &tail[len..];
    }
    out
}

#[test]
fn the_readme_lists_every_error_code_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let mut source = codes(&read("core/src/error.rs"));
    source.extend(codes(&read("js/src/fault.rs")));
    let readme = read("README.md");
    let start = readme.find("Every failure is an `Error` with a stable `code`").expect("the README's list of codes");
    let end = start + readme[start..].find("`examples/org-insights.ts` maps them").expect("the end of the list");
    let listed = codes(&readme[start..end]);
    let missing: Vec<_> = source.difference(&listed).collect();
    let unknown: Vec<_> = listed.difference(&source).collect();
    assert!(missing.is_empty(), "codes the README does not list: {missing:?}");
    assert!(unknown.is_empty(), "codes the README lists that do not exist: {unknown:?}");
    assert!(source.len() > 20, "{source:?}");
}
