// The org-insights routes (examples/org-insights.ts): they type-check with
// tsc against the generated index.d.ts and Hono's own types and, compiled,
// are served by a real Node HTTP server (@hono/node-server) and exercised
// over HTTP, on two backends: the engine, and plan/finish over the server's
// own pg client; and, bundled with odx's WebAssembly build, by the real
// Workers runtime (workerd, reading Postgres with postgres.js over
// cloudflare:sockets). Status codes, bodies, errors as { error: { code,
// message } }; targets written and put back exactly as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import pg from 'pg';
import { odx, url, writerUrl, sql, asJs, extension, DEMO } from './helpers.mjs';
import { engineBackend, planBackend, start } from './routes.mjs';
import { startWorker, workerUrl } from '../worker/run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const tsc = path.join(pkg, 'node_modules', '.bin', 'tsc');
const outDir = path.join(pkg, '.example-build');

test('the routes type-check with tsc (strict)', () => {
  execFileSync(tsc, ['-p', path.join(pkg, 'examples', 'tsconfig.json')], { stdio: 'pipe' });
});

const live = [];
const servers = {};
let engine;
let pool;
before(async () => {
  execFileSync(tsc, ['-p', path.join(pkg, 'examples', 'tsconfig.json'), '--noEmit', 'false', '--outDir', outDir]);
  engine = await odx.Engine.connect(url);
  pool = new pg.Pool({ connectionString: url, max: 4 });
  servers.engine = await start(outDir, engineBackend(engine, pool), 50000001);
  servers.plan = await start(outDir, planBackend(pool), 50000001);
  live.push(servers.engine.server, servers.plan.server);
  const worker = await startWorker({ databaseUrl: workerUrl(url), defaultUser: 50000001 });
  servers.worker = { base: `${worker.base}/api/v1/org/insights`, stop: worker.stop };
});
after(async () => {
  await servers.worker?.stop();
  for (const s of live) await new Promise((r) => s.close(r));
  await engine.close();
  await pool.end();
});

async function get(server, route, user) {
  const res = await fetch(`${servers[server].base}${route}`, user ? { headers: { 'x-user': String(user) } } : {});
  return { status: res.status, body: await res.json() };
}

const PERIOD = `from=${DEMO.from}&to=${DEMO.to}`;
const DOMAIN_ROUTES = [
  ['financial', 'financial'], ['appointments', 'operations'], ['clinical', 'clinical'], ['patients', 'patients'],
  ['accounting', 'accounting'], ['staff', 'staff'],
];

for (const server of ['engine', 'plan', 'worker']) {
  test(`${server}: every domain route answers the network report over HTTP`, async () => {
    for (const [route, domain] of DOMAIN_ROUTES) {
      const { status, body } = await get(server, `/${route}?${PERIOD}`);
      assert.equal(status, 200, route);
      assert.deepStrictEqual(body, await extension(domain, DEMO), route);
    }
    const { status, body } = await get(server, `/inventory-lab?${PERIOD}`);
    assert.equal(status, 200);
    assert.deepStrictEqual(body, { inventory: await extension('inventory', DEMO), lab: await extension('lab', DEMO) });
  });

  test(`${server}: the Command Center, the digest and a branch's benchmark`, async () => {
    const month = 'from=2026-06-01&to=2026-06-30';
    const command = await get(server, `/command?${month}`);
    assert.equal(command.status, 200);
    const [{ r }] = await sql('SELECT odx_command(500, $1::date, $2::date) AS r', ['2026-06-01', '2026-06-30']);
    assert.deepStrictEqual(command.body, asJs(r));
    const digest = await get(server, `/ruby/digest?${month}`);
    const [{ d }] = await sql('SELECT odx_digest(500, $1::date, $2::date) AS d', ['2026-06-01', '2026-06-30']);
    assert.deepStrictEqual(digest.body, asJs(d));
    const bench = await get(server, `/ruby/branch/502?${month}`);
    const [{ b }] = await sql('SELECT odx_benchmark(500, 502, $1::date, $2::date) AS b', ['2026-06-01', '2026-06-30']);
    assert.equal(bench.status, 200);
    assert.deepStrictEqual(bench.body, asJs(b));
    const outside = await get(server, `/ruby/branch/1?${month}`);
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error.code, 'ODX_FORBIDDEN_SCOPE');
  });

  test(`${server}: ?branch narrows within the scope; outside it or malformed is refused`, async () => {
    const one = await get(server, `/appointments?${PERIOD}&branch=502`);
    assert.equal(one.status, 200);
    assert.deepStrictEqual(one.body.perBranch.map((r) => r.clinicId), [502]);
    const other = await get(server, `/appointments?${PERIOD}&branch=1`);
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, 'ODX_FORBIDDEN_SCOPE');
    const bad = await get(server, `/appointments?${PERIOD}&branch=abc`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'ODX_INVALID_ARGUMENT');
  });

  test(`${server}: a branch manager sees its branch; anyone else without a console role is 403`, async () => {
    const own = await get(server, `/financial?${PERIOD}`, 50000012);
    assert.equal(own.status, 200);
    assert.deepStrictEqual(own.body, await extension('financial', { ...DEMO, clinicIds: [502] }));
    const other = await get(server, `/financial?${PERIOD}&branch=503`, 50000012);
    assert.equal(other.status, 403);
    const staff = await get(server, `/financial?${PERIOD}`, 50000003);
    assert.equal(staff.status, 403);
    assert.equal(staff.body.error.code, 'ODX_NO_CONSOLE_ACCESS');
    const targets = await get(server, '/targets', 50000012);
    assert.equal(targets.status, 403);
    assert.equal(targets.body.error.code, 'ODX_NOT_PERMITTED');
  });

  test(`${server}: a bad date is 400 naming the field`, async () => {
    const { status, body } = await get(server, '/financial?from=2026-13-01&to=2026-06-30');
    assert.equal(status, 400);
    assert.equal(body.error.code, 'ODX_INVALID_ARGUMENT');
    assert.match(body.error.message, /from/);
  });
}

test('the three servers answer every route alike', async () => {
  for (const route of ['/financial', '/appointments', '/staff', '/command', '/ruby/digest', '/ruby/branch/503']) {
    for (const user of [50000001, 50000012]) {
      const q = `${route}?from=2026-06-01&to=2026-06-30`;
      const engine = await get('engine', q, user);
      assert.deepStrictEqual(await get('plan', q, user), engine, `${route} as ${user}`);
      assert.deepStrictEqual(await get('worker', q, user), engine, `${route} as ${user}: the Worker`);
    }
  }
});

// The targets are written on a database of their own (the known-answer
// tenant of odx_demo_hq), so no other suite reads them while they change;
// every row of ops_targets is as it was afterwards.
for (const served of ['node', 'worker']) test(`${served}: GET and PUT /targets: org_admin only, checked by core, replaced in one transaction, put back`, async () => {
  const hqUrl = writerUrl.replace(/\/odx_test$/, '/odx_demo_hq');
  const hqPool = new pg.Pool({ connectionString: hqUrl, max: 2 });
  const hqEngine = await odx.Engine.connect(hqUrl);
  const { stop, base } = served === 'node'
    ? await start(outDir, engineBackend(hqEngine, hqPool), 90).then(({ server, base }) => ({
      base, stop: () => new Promise((r) => server.close(r)),
    }))
    : await startWorker({ databaseUrl: workerUrl(hqUrl), defaultUser: 90 }).then((w) => ({
      base: `${w.base}/api/v1/org/insights`, stop: w.stop,
    }));
  const table = async () => (await hqPool.query('SELECT * FROM app.ops_targets ORDER BY id')).rows;
  const before = await table();
  try {
    const put = (body, user = 90) => fetch(`${base}/targets`, {
      method: 'PUT', headers: { 'content-type': 'application/json', 'x-user': String(user) }, body: JSON.stringify(body),
    });
    const listed = await (await fetch(`${base}/targets`, { headers: { 'x-user': '90' } })).json();
    assert.equal(listed.organizationId, 1);
    const ids = (list) => list.map((t) => Number(t.id)).sort((a, b) => a - b);
    assert.deepStrictEqual(ids(listed.targets), ids(before.filter((t) => Number(t.organization_id) === 1)));

    const set = [
      { clinicId: null, metric: 'revenue_monthly', value: '600000' },
      { clinicId: 2, metric: 'NOSHOW_RATE_MAX', value: 0.08, period: 'monthly' },
    ];
    const res = await put({ targets: set });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepStrictEqual(body.targets.map(({ clinicId, branchName, metric, value }) => ({ clinicId, branchName, metric, value })), [
      { clinicId: null, branchName: null, metric: 'revenue_monthly', value: '600000.0000' },
      { clinicId: 2, branchName: 'KA Dubai', metric: 'noshow_rate_max', value: '0.0800' },
    ]);
    // The Command Center judges the new set.
    const command = await hqEngine.command({ organizationId: 1, from: '2026-06-01', to: '2026-06-30' });
    assert.deepStrictEqual(command.targets.evaluations.map((e) => e.metric).sort(), ['noshow_rate_max', 'revenue_monthly']);

    // Refused: a bad value (nothing written), a branch manager, a body that is not JSON.
    const now = await table();
    const bad = await put({ targets: [{ clinicId: 2, metric: 'noshow_rate_max', value: '1.5' }] });
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /targets\[0\]\.value/);
    const foreign = await put({ targets: [{ clinicId: 501, metric: 'noshow_rate_max', value: '0.1' }] });
    assert.equal(foreign.status, 400);
    assert.equal((await put({ targets: set }, 91)).status, 403);
    const notJson = await fetch(`${base}/targets`, { method: 'PUT', headers: { 'x-user': '90' }, body: '{' });
    assert.equal(notJson.status, 400);
    assert.deepStrictEqual(await table(), now, 'a refused PUT writes nothing');
  } finally {
    // Put every row back as it was.
    const client = await hqPool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM app.ops_targets');
      for (const t of before) {
        await client.query('INSERT INTO app.ops_targets (id, organization_id, clinic_id, metric, value, period) VALUES ($1, $2, $3, $4, $5, $6)',
          [t.id, t.organization_id, t.clinic_id, t.metric, t.value, t.period]);
      }
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    assert.deepStrictEqual(await table(), before, 'ops_targets as it was');
    await stop();
    await hqEngine.close();
    await hqPool.end();
  }
});
