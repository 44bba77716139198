// The Node side-by-side benchmark's harness (bench/side-by-side.mjs) works on
// the test database: its psql script runs every run, its engine == extension
// check passes, and it prints a row per domain. No time is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { url } from './helpers.mjs';

const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
// `cargo test --workspace` (run before the Node suites) builds it.
const script = path.join(pkg, '..', 'target', 'debug', 'odx-psql-script');

test('the side-by-side harness runs end to end on the known-answer month', () => {
  assert.ok(fs.existsSync(script), `${script} is built by cargo test --workspace`);
  const out = execFileSync('node', [path.join(pkg, 'bench', 'side-by-side.mjs'), '--url', url, '--script', script,
    '--from', '2026-06-01', '--to', '2026-06-30', '--runs', '1'], { encoding: 'utf8' });
  for (const domain of ['financial', 'operations']) {
    assert.match(out, new RegExp(`^\\| engine\\.${domain} \\| \\d+ \\| 30 \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+ \\|$`, 'm'));
  }
  assert.match(out, /checked first: the engine == the extension/);
});
