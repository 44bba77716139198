//! The modules of core form a layered graph: no module reaches, through its
//! imports, a module that imports it back. Read from the sources, so a new
//! `use crate::...` that closes a loop fails here with the loop named.
//!
//! An edge `a -> b` is any `crate::b` or `$crate::b` path in `a.rs` outside
//! comments (test modules included), and `crate::Name` for a name `lib.rs`
//! re-exports from `b`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

fn sources() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    fs::read_dir(&dir)
        .expect("core/src is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let name = p.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_owned();
            (name, fs::read_to_string(&p).expect("a readable source file"))
        })
        .collect()
}

/// Code lines only: `//` comments (doc comments included) dropped.
fn code(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// Names `lib.rs` re-exports (`pub use module::{A, B}`), to their module.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let lib = code(lib);
    for stmt in lib.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix("pub use ") else { continue };
        let Some((module, names)) = rest.split_once("::") else { continue };
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim();
            if !name.is_empty() {
                out.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let roots = reexports(&files["lib"]);
    let mut edges = BTreeMap::new();
    for (module, text) in files.iter().filter(|(m, _)| m.as_str() != "lib") {
        let text = code(text);
        let mut to = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let ident: String =
                text[i + "crate::".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let target = if files.contains_key(&ident) { Some(ident) } else { roots.get(&ident).cloned() };
            if let Some(t) = target.filter(|t| t != module) {
                to.insert(t);
            }
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// A cycle through `node`, if any (depth-first, with the path kept).
fn find_cycle(
    node: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|p| p == node) {
        let mut cycle = path[at..].to_vec();
        cycle.push(node.to_owned());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.to_owned());
    for next in edges.get(node).into_iter().flatten() {
        if let Some(c) = find_cycle(next, edges, path, done) {
            return Some(c);
        }
    }
    path.pop();
    done.insert(node.to_owned());
    None
}

#[test]
fn core_modules_import_without_a_cycle() {
    let edges = graph();
    assert!(edges.len() > 20, "every module of core is read: {:?}", edges.keys());
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = find_cycle(node, &edges, &mut Vec::new(), &mut done) {
            panic!("core modules import in a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    let mut edges = graph();
    // Close a loop on purpose: the raw rows importing the console.
    edges.get_mut("rows").expect("rows.rs").insert("console".to_owned());
    let mut done = BTreeSet::new();
    let found = edges.keys().find_map(|n| find_cycle(n, &edges, &mut Vec::new(), &mut done));
    assert!(found.is_some_and(|c| c.contains(&"rows".to_owned()) && c.contains(&"console".to_owned())));
}

#[test]
fn rows_sit_at_the_bottom() {
    let edges = graph();
    let allowed: BTreeSet<&str> = ["category", "error", "frame", "num", "scope"].into();
    let rows = &edges["rows"];
    assert!(rows.iter().all(|m| allowed.contains(m.as_str())), "rows.rs imports {rows:?}");
}
