// A bounded fuzz run, in the test command: random arguments (NULLs,
// extremes, random arrays and dates, wrong shapes) to every SQL function of
// the extension (read from the catalog) and every Node entry point: a fixed
// seed first, then a random seed for a bounded time (ODX_FUZZ_SECONDS,
// default 20, at most 60). Asserted: no XX000 from SQL, every odx error
// carries its ODX_* code, the backend's pid is unchanged (no backend
// crashed), and Node never aborts (every failure is an Error with an ODX_*
// code). A failing case prints its seed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { odx, url, rng } from './helpers.mjs';

const SECONDS = Math.min(60, Number(process.env.ODX_FUZZ_SECONDS ?? 20));

function gen(r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = () => pick([0, 1, 2, -1, 501, 502, 90, 91, 95, 424242, 2 ** 31 - 1, -(2 ** 31), Math.floor(r() * 1000)]);
  const big = () => pick([...[0, 1, 2, 500, 501, 504, -1, 999].map(String), '9223372036854775807', '-9223372036854775808']);
  const date = () => pick(['2026-06-01', '2026-06-30', '2026-02-29', '2028-02-29', '0001-01-01', '9999-12-31', '1970-01-01',
    '2016-06-01', '2036-06-30', `20${10 + Math.floor(r() * 30)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`]);
  const instant = () => pick(['2026-06-15T12:00:00+05:00', '2026-06-15T19:30:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z',
    '1970-01-01T00:00:00Z', new Date(Math.floor(r() * 2e12)).toISOString()]);
  const text = () => pick(['clinic', 'doctor', 'none', '', ' ', 'CLINIC', 'financial', 'lab', 'Asia/Karachi', 'Mars/Base',
    'x'.repeat(1 + Math.floor(r() * 300)), 'é', '\u0000'.slice(1), '{"a":1}']);
  // pg sends a nested array as a 2-D bigint[]: refused, never flattened.
  const ids = () => (r() < 0.08 ? [[big(), big()], [big(), big()]]
    : Array.from({ length: Math.floor(r() * 6) }, () => (r() < 0.1 ? null : big())));
  const json = () => pick([{}, { action: 'view_insights' }, { action: 'fly' }, { kind: 'clinic', clinic_id: 1 },
    { kind: 'organization', organization_id: 1 }, [], 1, 'x', { action: 'clinic_admin', permission: 'x'.repeat(50) }]);
  const value = (type) => {
    if (r() < 0.08) return null;
    switch (type) {
      case 'bigint[]': return ids();
      case 'bigint': return big();
      case 'integer': return int();
      case 'date': return date();
      case 'timestamp with time zone': return instant();
      case 'jsonb': return JSON.stringify(json());
      default: return text();
    }
  };
  return { pick, int, date, instant, text, value, r };
}

let client;
let functions;
before(async () => {
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(`SELECT p.proname AS name, p.oid::regprocedure::text AS signature,
      array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) AS types, p.proretset AS set
    FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'odx' WHERE p.prokind = 'f' ORDER BY 2`);
  functions = rows;
});
after(async () => { await client.end(); });

const outcomes = new Map();
const tally = (k) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

async function sqlCase(g) {
  const f = g.pick(functions);
  const values = f.types.map((t) => g.value(t));
  const args = f.types.map((t, i) => `$${i + 1}::${t}`).join(', ');
  const sql = f.set ? `SELECT count(*) FROM ${f.name}(${args})` : `SELECT ${f.name}(${args}) IS NULL`;
  try {
    await client.query(sql, values);
    tally('sql ok');
  } catch (e) {
    tally(`sql ${e.code}`);
    const what = `${f.signature} ${JSON.stringify(values).slice(0, 300)}: ${e.code} ${e.message}`;
    assert.notEqual(e.code, 'XX000', what);
    // Nothing fails inside one of odx's own statements (a date Postgres
    // cannot place is refused by odx before it is sent).
    assert.ok(!String(e.where ?? '').includes('SQL statement'), `${what} (${e.where})`);
    // An error raised by odx names its code; Postgres's own (a value that
    // is not a date ...) happen before odx is called.
    if (e.where === undefined && e.detail !== undefined) assert.match(e.detail, /odx error code ODX_/, what);
  }
}

function nodeParams(g) {
  const r = g.r;
  const scope = {
    clinicIds: Array.from({ length: Math.floor(r() * 5) }, () => g.pick([1, 2, 501, 502, 424242, -1, 1.5, NaN, '1', null])),
    from: g.date(), to: g.date(),
  };
  if (r() < 0.3) scope.groupBy = g.pick(['clinic', 'doctor', 'none', 'branch', 7]);
  if (r() < 0.3) scope.asOf = g.pick([g.instant(), Date.now(), -1, 'soon', Infinity]);
  if (r() < 0.2) scope.allowedClinicIds = [g.pick([1, 2, 501])];
  if (r() < 0.2) scope.activeWindowMonths = g.pick([0, 1, 18, 121, -3, 2.5]);
  if (r() < 0.3) Object.assign(scope, { organizationId: g.pick([1, 500, 2, 424242, -1]), clinicId: g.pick([1, 2, 502]) });
  if (r() < 0.2) Object.assign(scope, { userId: g.pick([90, 91, 95, 11, 50000001]), date: g.date() });
  if (r() < 0.2) Object.assign(scope, { domain: g.pick(['financial', 'lab', 'revenue']), action: { action: 'view_insights' },
    resource: { kind: 'organization', organizationId: 1 } });
  return r() < 0.05 ? g.pick([null, undefined, 42, 'x', [scope], () => scope]) : scope;
}

const ENGINE = ['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory', 'compare',
  'command', 'digest', 'benchmark', 'networkOverview', 'forecastRevenue', 'forecastNoShows', 'forecastChurn',
  'insightsScope', 'authorize'];
const PURE = ['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory', 'compare',
  'command', 'digest', 'benchmark', 'networkOverview', 'forecastRevenue', 'forecastNoShows', 'forecastChurn',
  'insightsScope', 'authorize', 'validateScope'];

async function nodeCase(g, engine) {
  const coded = (what) => (e) => {
    assert.ok(e instanceof Error, `${what}: ${e}`);
    assert.match(String(e.code), /^ODX_/, `${what}: ${e.code} ${e.message}`);
    return true;
  };
  const params = nodeParams(g);
  const what = g.pick(ENGINE);
  const label = `${what} ${JSON.stringify(params)?.slice(0, 200)}`;
  try { await engine[what](params); } catch (e) { coded(`engine.${label}`)(e); }
  const pure = g.pick(PURE);
  const rows = g.pick([{}, { clinics: [] }, { clinics: [{ id: 1, name: 'x', city: 'y', status: 'active', timezone: 'Asia/Karachi' }] },
    { invoices: [{ id: 1 }] }, []]);
  try {
    if (pure === 'validateScope') odx.validateScope(params); else odx[pure](rows, params);
  } catch (e) { coded(`pure ${pure} ${label}`)(e); }
  try {
    const plan = odx.plan(what, params);
    odx.finish(plan, plan.statements.map(() => (g.r() < 0.5 ? [] : [{ clinic_id: '1', total: 'NaN' }])));
  } catch (e) { coded(`plan ${label}`)(e); }
}

async function run(seed, budget) {
  const g = gen(rng(seed));
  const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const engine = await odx.Engine.connect(url, { maxConnections: 2, queryTimeoutMs: 10_000 });
  let cases = 0;
  try {
    for (const stop = Date.now() + budget.ms; cases < budget.cases && Date.now() < stop; cases += 1) {
      await sqlCase(g);
      await nodeCase(g, engine);
    }
  } finally {
    await engine.close();
  }
  assert.equal((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid, pid, `seed ${seed}: the backend survived`);
  return cases;
}

test('fuzz, fixed seed: every SQL function and Node entry point', async () => {
  const cases = await run(20261126, { cases: 300, ms: 120_000 });
  assert.ok(cases >= 100, `${cases} cases`);
});

test(`fuzz, a random seed for ${SECONDS} s`, async () => {
  const seed = Math.floor(Math.random() * 2 ** 31);
  console.log(`# fuzz seed ${seed}`);
  const cases = await run(seed, { cases: Infinity, ms: SECONDS * 1000 });
  console.log(`# ${cases} random cases; SQL outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
});
