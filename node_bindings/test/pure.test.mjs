// The pure functions over rows the caller holds == the engine over the same
// data in Postgres, per clinic and for the network, with the rows read the
// way a pg-based server reads them (instants as Dates, money as strings).
// Bad rows are refused with a message naming the row and column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { odx, url, KNOWN, DEMO, clinicRows, DOMAINS } from './helpers.mjs';

let engine;
before(async () => { engine = await odx.Engine.connect(url); });
after(async () => { await engine.close(); });

const scopes = [
  KNOWN,
  { ...KNOWN, groupBy: 'doctor' },
  { ...KNOWN, groupBy: 'none' },
  { clinicIds: [2], from: '2026-06-10', to: '2026-06-20' },
  DEMO,
  { ...DEMO, groupBy: 'doctor' },
];

for (const domain of DOMAINS) {
  for (const scope of scopes) {
    test(`${domain} ${JSON.stringify(scope)}: pure function on the rows == the engine`, async () => {
      const rows = await clinicRows(scope.clinicIds);
      assert.ok(rows.invoices.length > 0 && rows.invoices[0].issued_at instanceof Date);
      assert.deepStrictEqual(odx[domain](rows, scope), await engine[domain](scope));
    });
  }
}

test('instants may be Dates or ISO 8601 strings, with any offset', async () => {
  const rows = await clinicRows(KNOWN.clinicIds);
  const asText = { ...rows, invoices: rows.invoices.map((r) => ({ ...r, issued_at: r.issued_at.toISOString() })),
    payments: rows.payments.map((r) => ({ ...r, paid_at: r.paid_at.toISOString().replace('Z', '+00:00') })) };
  assert.deepStrictEqual(odx.financial(asText, KNOWN), odx.financial(rows, KNOWN));
});

test('bad rows are ODX_INVALID_ARGUMENT naming the row and column, never a crash', async () => {
  const rows = await clinicRows([1]);
  const scope = { ...KNOWN, clinicIds: [1] };
  const refused = (r, pattern) => assert.throws(() => odx.financial(r, scope), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'ODX_INVALID_ARGUMENT');
    assert.match(e.message, pattern);
    return true;
  });
  const withInvoice = (patch) => ({ ...rows, invoices: [{ ...rows.invoices[0], ...patch }, ...rows.invoices.slice(1)] });
  refused(withInvoice({ total: 1500.5 }), /rows\.invoices\[0\]\.total/);
  refused(withInvoice({ issued_at: 'yesterday' }), /rows\.invoices\[0\]\.issued_at/);
  refused(withInvoice({ clinic_id: '1' }), /rows\.invoices\[0\]\.clinic_id/);
  refused(withInvoice({ id: 1n }), /rows: cannot be read as JSON.*BigInt/);
  refused({ ...rows, lab_cases: [{ ...rows.lab_cases[0], sent_on: new Date('2026-06-01') }] }, /rows\.lab_cases\[0\]\.sent_on/);
  const cyclic = { ...rows };
  cyclic.self = cyclic;
  refused(cyclic, /rows: cannot be read as JSON/);
  for (const r of [undefined, null, [], 'invoices', 42]) refused(r, /^rows: must be an object/);
  assert.throws(() => odx.operations(rows, { ...scope, clinicIds: [2] }), (e) => e.code === 'ODX_UNKNOWN_CLINIC');
  // The process is still healthy after all of that.
  assert.equal(odx.financial(rows, scope).degraded, false);
});

test('patients: the pure function takes activeWindowMonths too', async () => {
  const rows = await clinicRows(DEMO.clinicIds);
  const scope = { ...DEMO, activeWindowMonths: 3 };
  assert.deepStrictEqual(odx.patients(rows, scope), await engine.patients(scope));
});
