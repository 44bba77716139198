// The engine on the real stack: TLS in every sslmode (a certificate of the
// test CA the test command makes; verify-full against it, and a CA that
// signed nothing refused with ODX_DB_TLS), and a real PgBouncer in
// transaction mode (no startup parameter it refuses, the timeout set inside
// each report's transaction). Each answer equals the direct engine's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { odx, url, sql, KNOWN, DEMO, DOMAINS } from './helpers.mjs';

const TLS_DIR = process.env.ODX_TLS_DIR ?? '/var/lib/postgresql/odx-tls';
const POOLER_PORT = process.env.ODX_POOLER_PORT ?? '6433';

// The test URL on another host, port or query.
function variant({ host, port, query }) {
  const u = new URL(url);
  if (host) u.hostname = host;
  if (port) u.port = port;
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, v);
  return u.toString();
}

let direct;
before(async () => { direct = await odx.Engine.connect(url, { maxConnections: 4 }); });
after(async () => { await direct.close(); });

// Whether the engine's connections named `app` use TLS (pg_stat_ssl of the
// backends it holds open).
async function usesTls(app) {
  const rows = await sql(`SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                          WHERE a.application_name = $1`, [app]);
  assert.ok(rows.length > 0, `a connection named ${app}`);
  return rows.every((r) => r.ssl);
}

const MODES = [
  { sslmode: 'disable', tls: false },
  { sslmode: 'prefer', tls: true },
  { sslmode: 'require', tls: true },
  { sslmode: 'verify-ca', sslrootcert: `${TLS_DIR}/ca.crt`, tls: true },
  { sslmode: 'verify-full', sslrootcert: `${TLS_DIR}/ca.crt`, host: 'localhost', tls: true },
];

for (const { sslmode, sslrootcert, host, tls } of MODES) {
  test(`sslmode=${sslmode}${host ? ` on ${host}` : ''}: ${tls ? 'TLS' : 'plain'}, the same report`, async () => {
    const app = `odx-${sslmode}-${host ?? 'default'}`;
    const query = { sslmode, application_name: app, ...(sslrootcert ? { sslrootcert } : {}) };
    const e = await odx.Engine.connect(variant({ host, query }), { maxConnections: 1 });
    try {
      assert.deepStrictEqual(await e.financial(KNOWN), await direct.financial(KNOWN));
      assert.equal(await usesTls(app), tls);
    } finally {
      await e.close();
    }
  });
}

test('a certificate that does not verify is ODX_DB_TLS, in verify-full and verify-ca', async () => {
  for (const sslmode of ['verify-full', 'verify-ca']) {
    const bad = variant({ host: 'localhost', query: { sslmode, sslrootcert: `${TLS_DIR}/other-ca.crt` } });
    await assert.rejects(odx.Engine.connect(bad, { connectTimeoutMs: 5000 }), (e) => {
      assert.equal(e.code, 'ODX_DB_TLS', `${sslmode}: ${e.code} ${e.message}`);
      return true;
    });
  }
  // A host the certificate does not name (it names localhost only):
  // verify-ca accepts it (the chain is good), verify-full refuses it.
  const ca = `${TLS_DIR}/ca.crt`;
  const renamed = { host: '127.0.0.1' };
  const e = await odx.Engine.connect(variant({ ...renamed, query: { sslmode: 'verify-ca', sslrootcert: ca } }));
  await e.close();
  await assert.rejects(
    odx.Engine.connect(variant({ ...renamed, query: { sslmode: 'verify-full', sslrootcert: ca } })),
    { code: 'ODX_DB_TLS' });
});

test('through PgBouncer in transaction mode: every domain and the console equal the direct engine', async () => {
  const pooled = await odx.Engine.connect(variant({ port: POOLER_PORT, query: { sslmode: 'disable' } }),
    { maxConnections: 4, queryTimeoutMs: 20_000 });
  try {
    for (const domain of DOMAINS) {
      for (const scope of [KNOWN, { ...KNOWN, groupBy: 'doctor' }, DEMO]) {
        assert.deepStrictEqual(await pooled[domain](scope), await direct[domain](scope), `${domain}`);
      }
    }
    const org = { organizationId: 1, from: '2026-06-01', to: '2026-06-30' };
    assert.deepStrictEqual(await pooled.command(org), await direct.command(org));
    assert.deepStrictEqual(await pooled.digest(org), await direct.digest(org));
    assert.deepStrictEqual(await pooled.insightsScope({ userId: 90 }), await direct.insightsScope({ userId: 90 }));
    // Many reports at once on few pooled connections: each is whole.
    const many = await Promise.all(Array.from({ length: 24 }, (_, i) => pooled[DOMAINS[i % DOMAINS.length]](DEMO)));
    for (let i = 0; i < many.length; i += 1) {
      assert.deepStrictEqual(many[i], await direct[DOMAINS[i % DOMAINS.length]](DEMO));
    }
  } finally {
    await pooled.close();
  }
});

test('sslmode=prefer through PgBouncer (which offers no TLS) falls back to plain', async () => {
  const pooled = await odx.Engine.connect(variant({ port: POOLER_PORT, query: { sslmode: 'prefer' } }));
  try {
    assert.deepStrictEqual(await pooled.operations(KNOWN), await direct.operations(KNOWN));
  } finally {
    await pooled.close();
  }
});

test('sslmode=require through a PgBouncer that offers no TLS is ODX_DB_TLS', async () => {
  await assert.rejects(odx.Engine.connect(variant({ port: POOLER_PORT, query: { sslmode: 'require' } })),
    { code: 'ODX_DB_TLS' });
});

test('the query timeout holds inside the transaction, through the pooler too', async () => {
  for (const port of [undefined, POOLER_PORT]) {
    const e = await odx.Engine.connect(variant({ port, query: { sslmode: 'disable' } }), { queryTimeoutMs: 1 });
    try {
      await assert.rejects(e.financial(DEMO), (err) => {
        assert.ok(['ODX_DB_TIMEOUT'].includes(err.code), `${err.code}: ${err.message}`);
        return true;
      });
    } finally {
      await e.close();
    }
  }
});

test('a role without SELECT on a table gets ODX_DB_PERMISSION, not a degraded report', async () => {
  // odx_limited reads every table of app but payroll.
  const limited = new URL(url);
  limited.username = 'odx_limited';
  limited.password = 'odx_limited';
  const e = await odx.Engine.connect(limited.toString());
  try {
    assert.deepStrictEqual(await e.financial(KNOWN), await direct.financial(KNOWN));
    for (const domain of ['accounting', 'staff']) {
      await assert.rejects(e[domain](KNOWN), (err) => {
        assert.equal(err.code, 'ODX_DB_PERMISSION', `${domain}: ${err.code} ${err.message}`);
        assert.match(err.message, /payroll/);
        return true;
      });
    }
  } finally {
    await e.close();
  }
});

test('the suites read as a role that may only read', async () => {
  const [{ superuser, writes }] = await sql(`SELECT r.rolsuper AS superuser,
    has_table_privilege(current_user, 'app.invoices', 'INSERT, UPDATE, DELETE') AS writes
    FROM pg_roles r WHERE r.rolname = current_user`);
  assert.deepStrictEqual({ superuser, writes }, { superuser: false, writes: false });
});
