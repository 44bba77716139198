// The org-insights routes in a Cloudflare Worker (the organization's server,
// `odonto-<slug>`, Neon behind it): the same Hono app and middleware as the
// Node server (examples/org-insights.ts), over odx's WebAssembly build
// (`@odx/engine/wasm`: plan/finish, checkTargets) and postgres.js, whose
// Workers build reaches Postgres over `cloudflare:sockets` (TLS with
// STARTTLS, as Neon and any Postgres speak it). Needs the `nodejs_compat`
// flag (postgres.js imports node:buffer, node:events and node:stream).
//
// A Worker may not share a connection between requests: each request opens
// one, runs every read of the request in it (each read in one read-only
// REPEATABLE READ transaction: one snapshot), and closes it after the
// response. Bindings: DATABASE_URL (postgres://...?sslmode=...), and
// DEFAULT_USER, the user when a request carries no x-user header (the
// organization's own auth middleware sets the principal in production).
import { Hono } from 'hono';
import postgres from 'postgres';
import * as odx from '../wasm/worker.mjs';
import { failure, orgInsights, type InsightsBackend, type InsightsEnv } from '../examples/org-insights.js';

export interface Bindings {
  DATABASE_URL: string;
  DEFAULT_USER?: string;
}

/** An Error with an odx code. */
function fault(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/**
 * A driver's failure as the addon's engine reports it: the server's error by
 * its SQLSTATE (a timeout, a missing privilege, anything else), a failure
 * before any answer (refused, unreachable, a certificate the Worker does not
 * trust) as the database being unavailable. odx's own errors pass as they are.
 */
function dbFault(e: unknown): unknown {
  const err = e as Error & { code?: unknown; name?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('ODX_')) return e;
  if (err?.name === 'PostgresError') {
    if (err.code === '57014') return fault('ODX_DB_TIMEOUT', `the query ran past its timeout: ${err.message}`);
    if (err.code === '42501') return fault('ODX_DB_PERMISSION', `the database role may not read what odx reads: ${err.message}`);
    return fault('ODX_DB_ERROR', `the database failed: ${err.message}`);
  }
  return fault('ODX_DB_UNAVAILABLE', `the database is unavailable: ${err?.message ?? String(e)}`);
}

/** plan/finish over one postgres.js connection, with the transaction the targets write in. */
function backend(sql: postgres.Sql): InsightsBackend {
  return {
    read: (read, params) =>
      sql.begin('isolation level repeatable read read only', async (tx) => {
        const plan = odx.plan(read as Parameters<typeof odx.plan>[0], params);
        let answer: unknown = null;
        while (answer === null) {
          const rows: Array<Array<Record<string, unknown>>> = [];
          for (const s of plan.statements) {
            rows.push(await tx.unsafe(s.text, s.values as postgres.ParameterOrJSON<never>[]));
          }
          answer = odx.finish(plan, rows);
        }
        return answer;
      }).catch((e) => {
        throw dbFault(e);
      }) as Promise<unknown>,
    transaction: <T,>(work: (query: (text: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>) => Promise<T>) =>
      sql.begin((tx) => work((text, values) => tx.unsafe(text, values as postgres.ParameterOrJSON<never>[]))).catch((e) => {
        throw dbFault(e);
      }) as Promise<T>,
    checkTargets: odx.checkTargets,
  };
}

const app = new Hono<{ Bindings: Bindings }>();

app.get('/health', (c) => c.json({ ok: true }));

// One answer of the engine's reads by name, outside the routes' scope
// rules: what the parity suites compare with the extension and the addon
// (`POST /odx/financial` with the params as the body).
app.post('/odx/:read', async (c) => {
  const sql = postgres(c.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    let params: unknown;
    try {
      params = await c.req.json();
    } catch {
      throw fault('ODX_INVALID_ARGUMENT', 'body: must be the JSON params of the read');
    }
    return c.json((await backend(sql).read(c.req.param('read'), params as object)) as object);
  } catch (e) {
    return failure(c, e);
  } finally {
    c.executionCtx.waitUntil(sql.end());
  }
});

app.all('/api/v1/org/insights/*', async (c) => {
  const sql = postgres(c.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const routes = new Hono<InsightsEnv>();
    routes.use('*', async (r, next) => {
      r.set('principal', { userId: Number(r.req.header('x-user') ?? c.env.DEFAULT_USER) });
      await next();
    });
    routes.route('/api/v1/org/insights', orgInsights(backend(sql)));
    return await routes.fetch(c.req.raw);
  } finally {
    c.executionCtx.waitUntil(sql.end());
  }
});

export default app;
