// index.d.ts tells the truth: real reports of every grouping (engine and pure
// functions, degraded and empty ones included) are written out as TypeScript
// literals typed with the declared interfaces and type-checked with tsc
// --strict, which refuses a missing field, an undeclared one, or a value of
// the wrong type. A control set of broken reports must fail the same check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { odx, url, KNOWN, DEMO, clinicRows, DOMAINS } from './helpers.mjs';

const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(pkg, 'node_modules', '.bin', 'tsc');
const dir = path.join(pkg, '.example-build', 'types');

let engine;
before(async () => { engine = await odx.Engine.connect(url); });
after(async () => { await engine.close(); });

const TYPE = Object.fromEntries(DOMAINS.map((d) => [d, `${d[0].toUpperCase()}${d.slice(1)}Report`]));

// Each file holds `const` declarations of [type, value] pairs.
function write(name, decls) {
  const body = decls.map(([type, value], i) => `export const v${i}: ${type} = ${JSON.stringify(value, null, 1)};`);
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file,
    `import type { ${Object.values(TYPE).join(', ')}, ValidScope, CommandCenterReady, Degraded, InsightsScope, Decision, Digest, Benchmark, NetworkOverview, Comparison, RevenueForecast, NoShowForecast, ChurnForecast } from '../../index.js';\n${body.join('\n')}\n`);
  return file;
}

// Runs tsc over `files`; returns the files it reported errors in.
function typeCheck(files) {
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
      noEmit: true, skipLibCheck: false, types: [] },
    files: files.map((f) => path.basename(f)),
  }));
  try {
    execFileSync(tsc, ['-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe' });
    return { failed: new Set(), output: '' };
  } catch (e) {
    const output = String(e.stdout);
    return { failed: new Set(files.filter((f) => output.includes(`${path.basename(f)}(`))), output };
  }
}

async function reports() {
  const decls = [];
  const scopes = [KNOWN, { ...KNOWN, groupBy: 'doctor' }, { ...KNOWN, groupBy: 'none' }, DEMO,
    { ...KNOWN, clinicIds: [] }];
  const rows = await clinicRows(KNOWN.clinicIds);
  for (const domain of Object.keys(TYPE)) {
    for (const scope of scopes) {
      decls.push([TYPE[domain], await engine[domain](scope)]);
    }
    decls.push([TYPE[domain], odx[domain](rows, { ...KNOWN, groupBy: 'doctor' })]);
  }
  const degraded = await odx.Engine.connect(url.replace(/\/odx_test$/, '/odx_degraded'));
  try {
    for (const domain of Object.keys(TYPE)) decls.push([TYPE[domain], await degraded[domain](KNOWN)]);
    const command = await degraded.command({ organizationId: 1, from: KNOWN.from, to: KNOWN.to });
    assert.equal(command.degraded, true);
    decls.push(['CommandCenterReady | Degraded', command]);
    decls.push(['Digest | Degraded', await degraded.digest({ organizationId: 1, from: KNOWN.from, to: KNOWN.to })]);
    decls.push(['Comparison | Degraded', await degraded.compare({ ...KNOWN, domain: 'lab' })]);
    decls.push(['RevenueForecast | Degraded', await degraded.forecastRevenue({ clinicIds: [1], asOf: KNOWN.to })]);
  } finally {
    await degraded.close();
  }
  decls.push(['ValidScope', odx.validateScope({ ...KNOWN, groupBy: 'doctor' })]);
  const june = { organizationId: 1, from: '2026-06-01', to: '2026-06-30' };
  decls.push(['CommandCenterReady | Degraded', await engine.command(june)]);
  decls.push(['CommandCenterReady | Degraded', await engine.command({ organizationId: 500, from: DEMO.from, to: DEMO.to })]);
  decls.push(['CommandCenterReady | Degraded', await engine.command({ ...june, organizationId: 2 })]);
  decls.push(['Digest | Degraded', await engine.digest(june)]);
  decls.push(['Digest | Degraded', await engine.digest({ organizationId: 500, from: DEMO.from, to: DEMO.to })]);
  decls.push(['Benchmark | Degraded', await engine.benchmark({ ...june, clinicId: 2 })]);
  decls.push(['NetworkOverview | Degraded', await engine.networkOverview({ organizationId: 1, date: '2026-06-20' })]);
  for (const domain of Object.keys(TYPE)) decls.push(['Comparison | Degraded', await engine.compare({ ...KNOWN, domain })]);
  decls.push(['RevenueForecast | Degraded', await engine.forecastRevenue({ clinicIds: [1, 2], asOf: '2026-06-15' })]);
  decls.push(['NoShowForecast | Degraded', await engine.forecastNoShows({ clinicIds: [1, 2], asOf: '2026-06-15' })]);
  decls.push(['ChurnForecast | Degraded', await engine.forecastChurn({ clinicIds: [1, 2], asOf: '2026-12-31' })]);
  for (const userId of [90, 91]) decls.push(['InsightsScope', await engine.insightsScope({ userId })]);
  decls.push(['Decision', await engine.authorize({ userId: 91, action: { action: 'view_insights' },
    resource: { kind: 'clinic', clinicId: 2 } })]);
  return decls;
}

test('every report matches its declared type in index.d.ts; broken ones do not', async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const real = await reports();
  assert.ok(real.some(([, r]) => r.degraded === true), 'a degraded report is covered');
  const genuine = write('genuine', real);

  const fin = await engine.financial(KNOWN);
  const ops = await engine.operations({ ...KNOWN, groupBy: 'doctor' });
  const cmp = await engine.compare({ ...KNOWN, domain: 'financial' });
  const broken = {
    moneyAsNumber: ['FinancialReport', { ...fin, totals: { ...fin.totals, billed: 39000 } }],
    rateAsString: ['OperationsReport', { ...ops, totals: { ...ops.totals, noShowRate: '0.2' } }],
    missingField: ['FinancialReport', { ...fin, perBranch: fin.perBranch.map(({ margin, ...row }) => row) }],
    undeclaredField: ['OperationsReport', { ...ops, perBranch: ops.perBranch.map((r) => ({ ...r, extra: 1 })) }],
    nullCount: ['FinancialReport', { ...fin, totals: { ...fin.totals, invoiceCount: null } }],
    commandMoneyAsNumber: ['CommandCenterReady', { ...(await engine.command({ organizationId: 1, from: '2026-06-01', to: '2026-06-30' })), billed: 1 }],
    badReason: ['Decision', { allowed: true, reason: 'because' }],
    forecastWithoutError: ['RevenueForecast', (({ mape, ...f }) => f)(await engine.forecastRevenue({ clinicIds: [1, 2], asOf: '2026-06-15' }))],
    churnWithoutRecall: ['ChurnForecast', (({ recall, ...f }) => f)(await engine.forecastChurn({ clinicIds: [1, 2], asOf: '2026-12-31' }))],
    badKind: ['Comparison', { ...cmp, totals: cmp.totals.map((m) => ({ ...m, kind: 'ratio' })) }],
    badBucket: ['FinancialReport', { ...fin, totals: { ...fin.totals, arAging: { ...fin.totals.arAging, '120+': '0' } } }],
  };
  const controls = Object.entries(broken).map(([name, decl]) => write(name, [decl]));

  const { failed, output } = typeCheck([genuine, ...controls]);
  assert.ok(!failed.has(genuine), `real reports must type-check:\n${output}`);
  for (const c of controls) assert.ok(failed.has(c), `${path.basename(c)} must fail the type check`);
});
