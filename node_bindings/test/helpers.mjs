// Shared set-up of the Node suites: the built addon, the test database (the
// same DATABASE_URL the cargo tests use) and a plain pg client for reading
// the extension's own answers.
import { createRequire } from 'node:module';
import pg from 'pg';
import { asJs } from './shape.mjs';
import { query } from './query.mjs';

export { asJs };

const require = createRequire(import.meta.url);
// ODX_IMPL=wasm runs a suite against the WebAssembly build
// (@odx/engine/wasm in Node): its pure functions and plan/finish replace
// the addon's, the Engine (which only the addon has) stays, so every
// engine == pure == extension check is also WebAssembly == engine ==
// extension.
export const IMPL = process.env.ODX_IMPL ?? 'addon';
if (IMPL !== 'addon' && IMPL !== 'wasm') throw new Error(`ODX_IMPL must be addon or wasm, not ${IMPL}`);
export const addon = require('../index.js');
export const wasm = IMPL === 'wasm' ? await import('../wasm/node.mjs') : null;
export const odx = wasm === null ? addon : { ...addon, ...wasm };

// The suites read as a role with SELECT on app only; the tests that write
// (and put back) use the owner's URL.
export const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set: run through scripts/test-all.sh');
export const writerUrl = process.env.ODX_WRITER_URL;
if (!writerUrl) throw new Error('ODX_WRITER_URL is not set: run through scripts/test-all.sh');

export const sql = (text, values = []) => query(url, text, values);

// The extension's report for the same call, in JavaScript's shape.
// With `asOf`, the extension reads at the same instant (as_of => ...).
export async function extension(domain, { clinicIds, from, to, groupBy = 'clinic', asOf }) {
  const at = asOf === undefined ? '' : ', as_of => $5::timestamptz';
  const args = [clinicIds, from, to, groupBy, ...(asOf === undefined ? [] : [asOf])];
  const rows = await sql(`SELECT odx_${domain}($1::bigint[], $2::date, $3::date, $4${at}) AS r`, args);
  return asJs(rows[0].r);
}

// The instants of the as-of known answers (EXPECTED.md, "A month in
// progress"; the same list as tests/tests/extension_parity.rs).
export const AS_OF_CASES = [
  '2026-06-15T12:00:00+05:00', '2026-06-15T23:59:00+05:00', '2026-06-15T19:30:00Z', '2026-06-15T20:30:00Z',
  '2026-05-20T12:00:00+05:00',
];

// Every domain of the engine, in the order of odx_sql::Domain::ALL.
export const DOMAINS = ['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory'];

export const KNOWN = { clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30' };
export const DEMO = { clinicIds: [501, 502, 503, 504], from: '2026-01-01', to: '2026-06-30' };

// Every table's rows of some clinics, as a pg-based server holds them:
// bigint ids parsed as numbers, numerics as strings, instants as Dates, dates
// and times as strings.
const TABLES = ['clinics', 'clinic_hours', 'rooms', 'doctor_schedules', 'patients', 'appointments', 'invoices',
  'invoice_items', 'payments', 'lab_cases', 'expenses', 'payroll', 'users', 'attendance_days', 'treatment_plans',
  'treatment_plan_procedures', 'quotations', 'inventory_items', 'inventory_movements'];
export async function clinicRows(clinicIds) {
  const types = {
    getTypeParser(oid, format) {
      if (oid === pg.types.builtins.INT8) return Number;
      if (oid === pg.types.builtins.DATE) return String;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const client = new pg.Client({ connectionString: url, types });
  await client.connect();
  try {
    const rows = {};
    for (const t of TABLES) {
      const where = t === 'clinics' ? 'id = ANY($1)'
        : t === 'invoice_items' ? 'invoice_id IN (SELECT id FROM app.invoices WHERE clinic_id = ANY($1))'
        : t === 'treatment_plan_procedures' ? 'plan_id IN (SELECT id FROM app.treatment_plans WHERE clinic_id = ANY($1))'
        : t === 'inventory_movements' ? 'item_id IN (SELECT id FROM app.inventory_items WHERE clinic_id = ANY($1))'
          : 'clinic_id = ANY($1)';
      rows[t] = (await client.query(`SELECT * FROM app.${t} WHERE ${where} ORDER BY 1`, [clinicIds])).rows;
    }
    return rows;
  } finally {
    await client.end();
  }
}

// mulberry32: a small seeded PRNG, for the fuzz and differential runs.
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
