// The org-insights routes on a real Node HTTP server, over a backend: the
// engine, or plan/finish over the server's own pg pool. Shared by the route
// tests (example.test.mjs) and the load run (bench/routes-load.mjs).
import { createRequire } from 'node:module';
import path from 'node:path';
import { odx } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { Hono } = require('hono');
const { serve } = require('@hono/node-server');

// The engine's answers by method name.
export function engineBackend(engine, pool) {
  return {
    read: (what, params) => engine[what](params),
    transaction: (work) => transaction(pool, work),
    checkTargets: odx.checkTargets,
  };
}

// plan/finish over the server's own pg pool: each read in one read-only
// REPEATABLE READ transaction.
export function planBackend(pool) {
  return {
    read: (what, params) => transaction(pool, async (query) => {
      const plan = odx.plan(what, params);
      let answer = null;
      while (answer === null) {
        const rows = [];
        for (const s of plan.statements) rows.push(await query(s.text, s.values));
        answer = odx.finish(plan, rows);
      }
      return answer;
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
    transaction: (work) => transaction(pool, work),
    checkTargets: odx.checkTargets,
  };
}

// `work(query)` in one transaction of a client of `pool` (`begin` opens it),
// rolled back when it throws.
async function transaction(pool, work, begin = 'BEGIN') {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const out = await work(async (text, values) => (await client.query(text, values)).rows);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

// A server: the auth middleware (the user from x-user; the demo network's
// org_admin by default), the routes mounted at /api/v1/org/insights.
export async function start(outDir, backend, defaultUser) {
  const { orgInsights } = require(path.join(outDir, 'org-insights.js'));
  const app = new Hono();
  app.use('*', async (c, next) => {
    c.set('principal', { userId: Number(c.req.header('x-user') ?? defaultUser) });
    await next();
  });
  app.route('/api/v1/org/insights', orgInsights(backend));
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${server.address().port}/api/v1/org/insights`;
  return { server, base };
}

