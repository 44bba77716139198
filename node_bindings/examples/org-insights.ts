// The org-insights route of the TypeScript server, the way a Hono app mounts
// it: GET /api/v1/org/insights/financial, /operations, /accounting and
// /command, ?from&to&branch. The user comes from the request context (set by
// the auth middleware); odx resolves the user's branches from the org layer
// (engine.insightsScope): a `branch` outside them is a 403, never silently
// dropped, and a user without a console role is a 403 too.
// Type-checked with tsc by the test command (node_bindings/test/example.test.mjs).
import { Hono, type Context } from 'hono';
import type {
  AccountingReport, CommandCenterReady, Degraded, Engine, FinancialReport, OperationsReport, ScopeParams,
} from '../index.js';

/** Who is asking: set by the server's auth middleware. */
export interface Principal {
  userId: number;
}

type AppEnv = { Variables: { principal: Principal } };

/** HTTP status of each odx error code. */
const STATUS: Record<string, 400 | 403 | 404 | 500 | 503 | 504> = {
  ODX_INVALID_ARGUMENT: 400,
  ODX_INVALID_RANGE: 400,
  ODX_RANGE_TOO_LONG: 400,
  ODX_INVALID_DATE: 400,
  ODX_FORBIDDEN_SCOPE: 403,
  ODX_NO_CONSOLE_ACCESS: 403,
  ODX_UNKNOWN_USER: 403,
  ODX_UNKNOWN_CLINIC: 404,
  ODX_DB_UNAVAILABLE: 503,
  ODX_NO_ORG_LAYER: 503,
  ODX_DB_TIMEOUT: 504,
};

/** The console scope cannot be resolved: the org layer is missing (503). */
class NoOrgLayer extends Error {
  code = 'ODX_NO_ORG_LAYER';
}

/** The user's console scope, narrowed to `?branch` or `?city` when given (refused when outside it). */
async function params(engine: Engine, c: Context<AppEnv>): Promise<ScopeParams & { organizationId: number }> {
  const branch = c.req.query('branch');
  const scope = await engine.insightsScope({
    userId: c.get('principal').userId,
    focusClinicId: branch === undefined ? undefined : Number(branch),
    focusCity: c.req.query('city'),
  });
  if ('missing' in scope) throw new NoOrgLayer(`the org layer is missing: ${scope.missing.join(', ')}`);
  return {
    organizationId: scope.organizationId,
    clinicIds: scope.clinicIds,
    from: c.req.query('from') ?? '',
    to: c.req.query('to') ?? '',
    allowedClinicIds: scope.clinicIds,
  };
}

type Answer = FinancialReport | OperationsReport | AccountingReport | CommandCenterReady | Degraded;

async function answer(c: Context<AppEnv>, run: () => Promise<Answer>) {
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
  app.get('/api/v1/org/insights/financial', (c) => answer(c, async () => engine.financial(await params(engine, c))));
  app.get('/api/v1/org/insights/operations', (c) => answer(c, async () => engine.operations(await params(engine, c))));
  app.get('/api/v1/org/insights/accounting', (c) => answer(c, async () => engine.accounting(await params(engine, c))));
  app.get('/api/v1/org/insights/command', (c) => answer(c, async () => engine.command(await params(engine, c))));
  return app;
}
