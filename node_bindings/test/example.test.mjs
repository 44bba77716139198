// The example route (examples/org-insights.ts): it type-checks with tsc
// against the generated index.d.ts and Hono's own types, and, compiled, it
// answers real requests through the engine: 200 with the report, 403 for a
// branch outside the user's scope or a user without a console role, 400 for
// a bad date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { odx, url, extension, sql, asJs, DEMO } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const tsc = path.join(pkg, 'node_modules', '.bin', 'tsc');
const outDir = path.join(pkg, '.example-build');

test('the example route type-checks with tsc (strict)', () => {
  execFileSync(tsc, ['-p', path.join(pkg, 'examples', 'tsconfig.json')], { stdio: 'pipe' });
});

let engine;
let app;
before(async () => {
  execFileSync(tsc, ['-p', path.join(pkg, 'examples', 'tsconfig.json'), '--noEmit', 'false', '--outDir', outDir]);
  const { orgInsights } = createRequire(import.meta.url)(path.join(outDir, 'org-insights.js'));
  engine = await odx.Engine.connect(url);
  const { Hono } = createRequire(import.meta.url)('hono');
  app = new Hono();
  // The demo network's org_admin, unless the test names another user.
  app.use('*', async (c, next) => {
    c.set('principal', { userId: Number(c.req.header('x-user') ?? 50000001) });
    await next();
  });
  app.route('/', orgInsights(engine));
});
after(async () => { await engine.close(); });

test('GET /api/v1/org/insights/financial answers the network report', async () => {
  const res = await app.request(`/api/v1/org/insights/financial?from=${DEMO.from}&to=${DEMO.to}`);
  assert.equal(res.status, 200);
  assert.deepStrictEqual(await res.json(), await extension('financial', DEMO));
});

test('?branch narrows to one branch; a branch outside the principal is 403', async () => {
  const one = await app.request(`/api/v1/org/insights/operations?from=${DEMO.from}&to=${DEMO.to}&branch=502`);
  assert.equal(one.status, 200);
  assert.deepStrictEqual((await one.json()).perBranch.map((r) => r.clinicId), [502]);
  const other = await app.request(`/api/v1/org/insights/operations?from=${DEMO.from}&to=${DEMO.to}&branch=1`);
  assert.equal(other.status, 403);
  assert.equal((await other.json()).error.code, 'ODX_FORBIDDEN_SCOPE');
});

test('a branch manager sees its branch only; a user without a console role is 403', async () => {
  const manager = { headers: { 'x-user': '50000012' } };
  const own = await app.request(`/api/v1/org/insights/financial?from=${DEMO.from}&to=${DEMO.to}`, manager);
  assert.deepStrictEqual(await own.json(), await extension('financial', { ...DEMO, clinicIds: [502] }));
  const other = await app.request(`/api/v1/org/insights/financial?from=${DEMO.from}&to=${DEMO.to}&branch=503`, manager);
  assert.equal(other.status, 403);
  const staff = await app.request(`/api/v1/org/insights/financial?from=${DEMO.from}&to=${DEMO.to}`, { headers: { 'x-user': '50000003' } });
  assert.equal(staff.status, 403);
  assert.equal((await staff.json()).error.code, 'ODX_NO_CONSOLE_ACCESS');
});

test('GET /api/v1/org/insights/command answers the Command Center of the scope', async () => {
  const res = await app.request('/api/v1/org/insights/command?from=2026-06-01&to=2026-06-30');
  assert.equal(res.status, 200);
  const rows = await sql('SELECT odx_command(500, $1::date, $2::date) AS r', ['2026-06-01', '2026-06-30']);
  assert.deepStrictEqual(await res.json(), asJs(rows[0].r));
});

test('GET /api/v1/org/insights/accounting answers the P&L', async () => {
  const res = await app.request(`/api/v1/org/insights/accounting?from=${DEMO.from}&to=${DEMO.to}`);
  assert.equal(res.status, 200);
  assert.deepStrictEqual(await res.json(), await extension('accounting', DEMO));
});

test('a bad date is 400 naming the field', async () => {
  const res = await app.request('/api/v1/org/insights/financial?from=2026-13-01&to=2026-06-30');
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.error.code, 'ODX_INVALID_ARGUMENT');
  assert.match(body.error.message, /from/);
});
