// The Worker on workerd (the real Workers runtime), over HTTP: odx's
// WebAssembly build computing every domain and the console read-outs from
// rows postgres.js reads over cloudflare:sockets with TLS, each answer equal
// to the addon's engine and to the extension on the fixtures. The route
// suite (example.test.mjs) serves the console spec's routes from the same
// Worker. The bad-input suites run against the same WebAssembly in Node
// (ODX_IMPL=wasm).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { odx, addon, url, extension, KNOWN, DEMO, DOMAINS, AS_OF_CASES } from './helpers.mjs';
import { startWorker, workerUrl } from '../worker/run.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const pkg = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

test('the Worker type-checks with tsc (strict), against the addon\'s declarations of the wasm entry', () => {
  execFileSync(path.join(pkg, 'node_modules', '.bin', 'tsc'), ['-p', path.join(pkg, 'worker', 'tsconfig.json')], { stdio: 'pipe' });
});

let engine;
let worker;
before(async () => {
  engine = await odx.Engine.connect(url, { maxConnections: 4 });
  worker = await startWorker({ databaseUrl: workerUrl(url) });
  console.log(`# workerd: first answer ${worker.startedMs.toFixed(0)} ms after the spawn`);
});
after(async () => {
  await worker?.stop();
  await engine?.close();
});

async function post(read, params, base = worker.base) {
  const res = await fetch(`${base}/odx/${read}`, { method: 'POST', body: JSON.stringify(params) });
  return { status: res.status, body: await res.json() };
}

test('workerd: every domain, every grouping == the engine == the extension', async () => {
  for (const domain of DOMAINS) {
    for (const scope of [KNOWN, { ...KNOWN, groupBy: 'doctor' }, { ...KNOWN, groupBy: 'none' }, DEMO]) {
      const { status, body } = await post(domain, scope);
      assert.equal(status, 200, `${domain} ${JSON.stringify(body).slice(0, 300)}`);
      assert.deepStrictEqual(body, await engine[domain](scope), `${domain} ${JSON.stringify(scope)}`);
      assert.deepStrictEqual(body, await extension(domain, scope), `${domain}: the extension`);
    }
  }
});

test('workerd: a month in progress, read as of the same instant as the extension', async () => {
  for (const asOf of AS_OF_CASES) {
    for (const domain of ['financial', 'operations']) {
      const scope = { ...KNOWN, asOf };
      const { body } = await post(domain, scope);
      assert.deepStrictEqual(body, await extension(domain, scope), `${domain} as of ${asOf}`);
    }
  }
});

test('workerd: the console read-outs, forecasts and policy == the engine', async () => {
  const month = { organizationId: 1, from: '2026-06-01', to: '2026-06-30' };
  const reads = [
    ['command', month],
    ['command', { organizationId: 500, from: '2026-01-01', to: '2026-06-30' }],
    ['command', { ...month, from: '2026-06-10', asOf: '2026-06-20T12:00:00+05:00' }],
    ['digest', month],
    ['benchmark', { ...month, clinicId: 2 }],
    ['networkOverview', { organizationId: 1, date: '2026-06-20' }],
    ['compare', { domain: 'financial', ...KNOWN }],
    ['forecastRevenue', { clinicIds: [1, 2], asOf: '2026-06-15' }],
    ['forecastNoShows', { clinicIds: [1, 2], asOf: '2026-06-15' }],
    ['forecastChurn', { clinicIds: [1, 2], asOf: '2026-12-31' }],
    ['insightsScope', { userId: 90 }],
    ['authorize', { userId: 91, action: { action: 'view_insights' }, resource: { kind: 'clinic', clinicId: 2 } }],
  ];
  for (const [what, params] of reads) {
    const { status, body } = await post(what, params);
    assert.equal(status, 200, `${what}: ${JSON.stringify(body).slice(0, 300)}`);
    assert.deepStrictEqual(body, await engine[what](params), `${what} ${JSON.stringify(params)}`);
  }
});

test('workerd: bad input is refused with the engine\'s code, and the isolate keeps answering', async () => {
  const cases = [
    ['financial', { ...KNOWN, from: '2026-07-01' }, 'ODX_INVALID_RANGE'],
    ['financial', { ...KNOWN, clinicIds: [1, 'x'] }, 'ODX_INVALID_ARGUMENT'],
    ['financial', { ...KNOWN, allowedClinicIds: [1] }, 'ODX_FORBIDDEN_SCOPE'],
    ['financial', { clinicIds: [1, 424242], from: '2026-06-01', to: '2026-06-30' }, 'ODX_UNKNOWN_CLINIC'],
    ['revenue', KNOWN, 'ODX_INVALID_ARGUMENT'],
    ['benchmark', { organizationId: 1, from: '2026-06-01', to: '2026-06-30' }, 'ODX_INVALID_ARGUMENT'],
    ['command', { organizationId: 424242, from: '2026-06-01', to: '2026-06-30' }, null],
    ['financial', { ...KNOWN, from: '0001-01-01', to: '9999-12-31' }, null],
    ['financial', { ...KNOWN, asOf: 'soon' }, 'ODX_INVALID_ARGUMENT'],
    ['authorize', { userId: 91, action: { action: 'fly' }, resource: {} }, null],
  ];
  for (const [what, params, code] of cases) {
    const { status, body } = await post(what, params);
    let expected;
    try {
      // A read the engine has no method for is refused by plan, as the Worker refuses it.
      await (typeof engine[what] === 'function' ? engine[what](params) : addon.plan(what, params));
      expected = null;
    } catch (e) {
      expected = e.code;
    }
    if (code !== null) assert.equal(expected, code, `the engine on ${what}`);
    assert.equal(body.error?.code ?? null, expected, `${what} ${JSON.stringify(params)}: ${status} ${JSON.stringify(body)}`);
    if (expected !== null) assert.ok(status >= 400 && status < 500, `${what}: ${status}`);
  }
  const notJson = await fetch(`${worker.base}/odx/financial`, { method: 'POST', body: '{' });
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error.code, 'ODX_INVALID_ARGUMENT');
  // Still the same isolate, still answering.
  assert.deepStrictEqual((await post('financial', KNOWN)).body, await engine.financial(KNOWN));
});

test('workerd: the server\'s certificate is verified; an untrusted one is ODX_DB_UNAVAILABLE', async () => {
  const untrusting = await startWorker({ databaseUrl: workerUrl(url), ca: null });
  try {
    const { status, body } = await post('financial', KNOWN, untrusting.base);
    assert.equal(status, 503, JSON.stringify(body));
    assert.equal(body.error.code, 'ODX_DB_UNAVAILABLE');
  } finally {
    await untrusting.stop();
  }
});

test('workerd: a database missing a table answers degraded, as the engine does', async () => {
  const degradedUrl = url.replace(/\/odx_test$/, '/odx_degraded');
  const other = await odx.Engine.connect(degradedUrl);
  const degraded = await startWorker({ databaseUrl: workerUrl(degradedUrl) });
  try {
    for (const domain of ['financial', 'operations', 'staff', 'patients']) {
      const { body } = await post(domain, KNOWN, degraded.base);
      assert.deepStrictEqual(body, await other[domain](KNOWN), domain);
    }
  } finally {
    await degraded.stop();
    await other.close();
  }
});

test('the README\'s minimal Worker (worker/minimal.mts, shown there verbatim) serves the Command Center in workerd', async () => {
  const source = readFileSync(path.join(pkg, 'worker', 'minimal.mts'), 'utf8').trim();
  assert.ok(readFileSync(path.join(pkg, '..', 'README.md'), 'utf8').includes(source), 'the README shows worker/minimal.mts as it is');
  const minimal = await startWorker({ databaseUrl: workerUrl(url), main: 'minimal.mjs', ready: '/' });
  try {
    const params = { organizationId: 500, from: '2026-06-01', to: '2026-06-30' };
    const res = await fetch(`${minimal.base}/?organizationId=500&from=2026-06-01&to=2026-06-30`);
    assert.equal(res.status, 200);
    assert.deepStrictEqual(await res.json(), await engine.command(params));
    const bad = await fetch(`${minimal.base}/?organizationId=500&from=2026-07-01&to=2026-06-30`);
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.code, 'ODX_INVALID_RANGE');
  } finally {
    await minimal.stop();
  }
});
