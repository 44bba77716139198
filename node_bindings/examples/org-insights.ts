// The org-insights route of the TypeScript server, the way a Hono app mounts
// it: GET /api/v1/org/insights/financial, /operations and /accounting, ?from&to&branch.
// The principal's branches come from the request context (set by the auth
// middleware); a `branch` outside them is a 403, never silently dropped.
// Type-checked with tsc by the test command (node_bindings/test/example.test.mjs).
import { Hono, type Context } from 'hono';
import type { AccountingReport, Engine, FinancialReport, OperationsReport, ScopeParams } from '../index.js';

/** Who is asking: set by the server's auth middleware. */
export interface Principal {
  userId: number;
  /** Every branch of the organization for an org_admin, the one branch of a branch_manager. */
  clinicIds: number[];
}

type AppEnv = { Variables: { principal: Principal } };

/** HTTP status of each odx error code. */
const STATUS: Record<string, 400 | 403 | 404 | 500 | 503 | 504> = {
  ODX_INVALID_ARGUMENT: 400,
  ODX_INVALID_RANGE: 400,
  ODX_RANGE_TOO_LONG: 400,
  ODX_INVALID_DATE: 400,
  ODX_FORBIDDEN_SCOPE: 403,
  ODX_UNKNOWN_CLINIC: 404,
  ODX_DB_UNAVAILABLE: 503,
  ODX_DB_TIMEOUT: 504,
};

function params(c: Context<AppEnv>): ScopeParams {
  const principal = c.get('principal');
  const branch = c.req.query('branch');
  return {
    clinicIds: branch === undefined ? principal.clinicIds : [Number(branch)],
    from: c.req.query('from') ?? '',
    to: c.req.query('to') ?? '',
    allowedClinicIds: principal.clinicIds,
  };
}

async function answer(c: Context<AppEnv>, run: () => Promise<FinancialReport | OperationsReport | AccountingReport>) {
  try {
    return c.json(await run());
  } catch (e) {
    const err = e as Error & { code?: string };
    const status = (err.code && STATUS[err.code]) || 500;
    return c.json({ error: { code: err.code ?? 'ODX_INTERNAL', message: err.message } }, status);
  }
}

/** The routes, over one engine shared by the server. */
export function orgInsights(engine: Engine): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/v1/org/insights/financial', (c) => answer(c, () => engine.financial(params(c))));
  app.get('/api/v1/org/insights/operations', (c) => answer(c, () => engine.operations(params(c))));
  app.get('/api/v1/org/insights/accounting', (c) => answer(c, () => engine.accounting(params(c))));
  return app;
}
