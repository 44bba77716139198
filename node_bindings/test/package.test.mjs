// The package people install: npm pack, installed into a fresh temporary
// project (offline: it has no dependencies), then a report read through the
// ES module entry and through CommonJS, and its types through TypeScript's
// Node resolution; the tarball holds the loader, the types and the addon,
// and the WebAssembly entry (@odx/engine/wasm: its loaders, types, glue and
// module), nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { odx, addon, url, KNOWN } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');

const READ = `const scope = ${JSON.stringify(KNOWN)};
  const engine = await Engine.connect(process.env.DATABASE_URL);
  const report = await engine.financial(scope);
  await engine.close();
  console.log(JSON.stringify({ report, valid: validateScope(scope), plan: typeof plan }));`;

test('npm pack, installed into a fresh project: a report through ESM and CommonJS, typed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'odx-pack-'));
  try {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: pkg }));
    const files = packed.files.map((f) => f.path).sort();
    assert.deepStrictEqual(files, ['index.d.ts', 'index.js', 'index.mjs', 'odx.linux-x64-gnu.node', 'package.json',
      'wasm/node.d.mts', 'wasm/node.mjs', 'wasm/odx.d.mts', 'wasm/odx.mjs', 'wasm/package.json', 'wasm/pkg/odx.js',
      'wasm/pkg/odx_bg.wasm', 'wasm/worker.d.mts', 'wasm/worker.mjs']);
    console.log(`# tarball ${packed.filename}: ${(packed.size / 1e6).toFixed(1)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked`);

    const app = path.join(dir, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, version: '1.0.0' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { cwd: app, stdio: 'pipe' });
    writeFileSync(path.join(app, 'esm.mjs'), `import { Engine, validateScope, plan } from '@odx/engine';
import odx from '@odx/engine';
if (odx.Engine !== Engine) throw new Error('the default export is the addon');
${READ}\n`);
    writeFileSync(path.join(app, 'cjs.cjs'), `const { Engine, validateScope, plan } = require('@odx/engine');
(async () => { ${READ} })().catch((e) => { console.error(e); process.exit(1); });\n`);
    const env = { ...process.env, DATABASE_URL: url };
    const want = JSON.stringify({
      report: await (async () => {
        const e = await odx.Engine.connect(url);
        try { return await e.financial(KNOWN); } finally { await e.close(); }
      })(),
      valid: odx.validateScope(KNOWN),
      plan: 'function',
    });
    for (const entry of ['esm.mjs', 'cjs.cjs']) {
      const out = execFileSync(process.execPath, [entry], { cwd: app, env }).toString().trim();
      assert.deepStrictEqual(JSON.parse(out), JSON.parse(want), entry);
    }
    // The WebAssembly entry in plain Node (the `node` condition): the same
    // scope and the same statements as the addon's.
    writeFileSync(path.join(app, 'wasm.mjs'), `import { validateScope, plan } from '@odx/engine/wasm';
const scope = ${JSON.stringify({ ...KNOWN, asOf: '2026-07-01T00:00:00Z' })};
console.log(JSON.stringify({ valid: validateScope(scope), statements: plan('financial', scope).statements }));\n`);
    const scope = { ...KNOWN, asOf: '2026-07-01T00:00:00Z' };
    const viaWasm = JSON.parse(execFileSync(process.execPath, ['wasm.mjs'], { cwd: app, env }).toString());
    assert.deepStrictEqual(viaWasm, { valid: odx.validateScope(scope), statements: addon.plan('financial', scope).statements });
    // The types resolve through the exports map (NodeNext), strict.
    writeFileSync(path.join(app, 'check.mts'), `import { Engine, type FinancialReport, type ScopeParams } from '@odx/engine';
const scope: ScopeParams = { clinicIds: [1], from: '2026-06-01', to: '2026-06-30' };
export async function billed(url: string): Promise<string | undefined> {
  const engine: Engine = await Engine.connect(url);
  const r: FinancialReport = await engine.financial(scope);
  return r.degraded ? undefined : r.totals.billed;
}\n`);
    writeFileSync(path.join(app, 'wasm-check.mts'), `import { plan, finish, type FinancialReport, type Degraded } from '@odx/engine/wasm';
export function statements(): number {
  const p = plan('financial', { clinicIds: [1], from: '2026-06-01', to: '2026-06-30' });
  const answer: FinancialReport | Degraded | null = p.done ? finish(p, []) : null;
  return answer === null ? p.statements.length : 0;
}\n`);
    execFileSync(path.join(pkg, 'node_modules', '.bin', 'tsc'),
      ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', path.join(app, 'check.mts'),
        path.join(app, 'wasm-check.mts')],
      { cwd: app, stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
