// The console spec's org-insights routes (server/src/routes/org-insights.ts,
// mounted at /api/v1/org/insights), as one Hono app over a backend, so the
// same middleware and routes serve the Node server (the engine, or plan/
// finish over the server's own client) and a Worker:
//
//   requireInsightsScope   resolves c.get('insightsScope') = { clinicIds, level, ... }:
//                          org_admin -> every branch of the organization (level 'network'),
//                          branch_manager -> its branch (level 'branch'), anyone else 403;
//                          ?branch= or ?city= outside the scope 403, never silently dropped
//   GET /financial /appointments /clinical /patients /accounting /staff
//                          each the domain's report { totals, perBranch, ... } of the scope
//   GET /inventory-lab     { inventory, lab }, the two reports
//   GET /command           the Command Center (KPIs, leaderboard, alerts)
//   GET /targets, PUT /targets   the organization's targets (org_admin only; PUT replaces
//                          the set, checked by core, in one transaction of the server's client)
//   GET /ruby/digest       the digest facts;   GET /ruby/branch/:clinicId  the benchmark facts
//
// ?from&to (YYYY-MM-DD), optional ?branch, ?city, ?asOf. Errors are
// { error: { code, message } } with the status of the code.
// Type-checked and run by the test command (node_bindings/test/example.test.mjs).
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { InsightsScope, TargetSetting } from '../index.js';

/** Who is asking: set by the server's auth middleware. */
export interface Principal {
  userId: number;
}

/** What the routes read and write through. */
export interface InsightsBackend {
  /** The answer of an engine method by name (`financial`, `command`, `insightsScope` ...) for its params:
   *  `engine[read](params)`, or plan/finish over the server's own client. */
  read(read: string, params: object): Promise<unknown>;
  /** Runs `work` in one transaction of the server's own client (the targets: odx itself only reads). */
  transaction<T>(work: (query: Query) => Promise<T>): Promise<T>;
  /** Checks a target set against the organization's branches (`checkTargets` of the addon). */
  checkTargets(targets: unknown, branches: number[]): TargetSetting[];
}

/** One statement on the server's client: its rows. */
export type Query = (text: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** The scope requireInsightsScope sets. */
export interface Scope {
  userId: number;
  organizationId: number;
  clinicIds: number[];
  level: 'network' | 'branch';
}

export type InsightsEnv = { Variables: { principal: Principal; insightsScope: Scope } };

/** HTTP status of each odx error code (the engine's, and the routes' own ODX_NO_ORG_LAYER, ODX_NOT_PERMITTED). */
const STATUS: Record<string, 400 | 403 | 404 | 500 | 503 | 504> = {
  ODX_INVALID_ARGUMENT: 400,
  ODX_INVALID_RANGE: 400,
  ODX_RANGE_TOO_LONG: 400,
  ODX_INVALID_DATE: 400,
  ODX_FORBIDDEN_SCOPE: 403,
  ODX_NO_CONSOLE_ACCESS: 403,
  ODX_INACTIVE_USER: 403,
  ODX_UNKNOWN_USER: 403,
  ODX_NOT_PERMITTED: 403,
  ODX_UNKNOWN_CLINIC: 404,
  ODX_UNKNOWN_ORGANIZATION: 404,
  ODX_DB_UNAVAILABLE: 503,
  ODX_DB_TLS: 503,
  ODX_DB_PERMISSION: 503,
  ODX_NO_ORG_LAYER: 503,
  ODX_DB_TIMEOUT: 504,
};

/** An error with an odx code. */
class Refusal extends Error {
  constructor(public code: string, message: string) {
    super(message);
  }
}

/** An error as the routes answer it: { error: { code, message } } with the status of its code. */
export function failure(c: Context, e: unknown) {
  const err = e as Error & { code?: string };
  const code = typeof err.code === 'string' && err.code.startsWith('ODX_') ? err.code : 'ODX_INTERNAL';
  return c.json({ error: { code, message: err.message ?? String(e) } }, STATUS[code] ?? 500);
}

/** A degraded answer ({ degraded: true, missing }) of the org layer is a 503: the console needs setup. */
function degraded(answer: unknown): answer is { degraded: true; missing: string[] } {
  return typeof answer === 'object' && answer !== null && (answer as { degraded?: unknown }).degraded === true;
}

/** Resolves the principal's console scope, narrowed to ?branch or ?city (refused outside it). */
export function requireInsightsScope(backend: InsightsBackend): MiddlewareHandler<InsightsEnv> {
  return async (c, next) => {
    try {
      const branch = c.req.query('branch');
      const focus = branch === undefined ? undefined : Number(branch);
      if (focus !== undefined && !Number.isSafeInteger(focus)) {
        throw new Refusal('ODX_INVALID_ARGUMENT', `branch: ${JSON.stringify(branch)} is not a clinic id`);
      }
      const answer = await backend.read('insightsScope', {
        userId: c.get('principal').userId,
        focusClinicId: focus,
        focusCity: c.req.query('city'),
      });
      if (degraded(answer)) throw new Refusal('ODX_NO_ORG_LAYER', `the org layer is missing: ${answer.missing.join(', ')}`);
      const scope = answer as InsightsScope;
      c.set('insightsScope', {
        userId: scope.userId,
        organizationId: scope.organizationId,
        clinicIds: scope.clinicIds,
        level: scope.level,
      });
    } catch (e) {
      return failure(c, e);
    }
    await next();
  };
}

/** The period of the request, within the scope. */
function period(c: Context<InsightsEnv>) {
  const s = c.get('insightsScope');
  const asOf = c.req.query('asOf');
  return {
    clinicIds: s.clinicIds,
    allowedClinicIds: s.clinicIds,
    from: c.req.query('from') ?? '',
    to: c.req.query('to') ?? '',
    ...(asOf === undefined ? {} : { asOf }),
  };
}

/** The console read-outs' params: the organization and the scope's branches. */
function consoleParams(c: Context<InsightsEnv>) {
  return { organizationId: c.get('insightsScope').organizationId, ...period(c) };
}

async function answer(c: Context<InsightsEnv>, run: () => Promise<unknown>) {
  try {
    return c.json((await run()) as object);
  } catch (e) {
    return failure(c, e);
  }
}

/** Only an org admin of the scope's organization manages its targets. */
async function mayManageTargets(backend: InsightsBackend, s: Scope) {
  const decision = (await backend.read('authorize', {
    userId: s.userId,
    action: { action: 'manage_targets' },
    resource: { kind: 'organization', organizationId: s.organizationId },
  })) as { allowed?: boolean; reason?: string; degraded?: boolean };
  if (decision.allowed !== true) {
    throw new Refusal('ODX_NOT_PERMITTED', `targets are managed by the organization's admins (${decision.reason ?? 'not permitted'})`);
  }
}

const TARGETS_SQL = `SELECT t.id::text AS id, t.clinic_id::text AS clinic_id, c.name AS branch_name, c.city,
       t.metric, t.value::text AS value, t.period
FROM app.ops_targets t LEFT JOIN app.clinics c ON c.id = t.clinic_id
WHERE t.organization_id = $1 ORDER BY t.clinic_id NULLS FIRST, t.metric, t.id`;

async function targets(query: Query, organizationId: number) {
  const rows = await query(TARGETS_SQL, [organizationId]);
  return {
    organizationId,
    targets: rows.map((r) => ({
      id: Number(r.id),
      clinicId: r.clinic_id === null ? null : Number(r.clinic_id),
      branchName: (r.branch_name as string | null) ?? null,
      city: (r.city as string | null) ?? null,
      metric: r.metric as string,
      value: r.value as string,
      period: r.period as string,
    })),
  };
}

/** The routes, over one backend shared by the server; mount at /api/v1/org/insights behind the auth middleware. */
export function orgInsights(backend: InsightsBackend): Hono<InsightsEnv> {
  const app = new Hono<InsightsEnv>();
  app.use('*', requireInsightsScope(backend));
  const domains: Array<[string, string]> = [
    ['/financial', 'financial'], ['/appointments', 'operations'], ['/clinical', 'clinical'],
    ['/patients', 'patients'], ['/accounting', 'accounting'], ['/staff', 'staff'],
  ];
  for (const [path, domain] of domains) {
    app.get(path, (c) => answer(c, () => backend.read(domain, period(c))));
  }
  app.get('/inventory-lab', (c) => answer(c, async () => {
    const [inventory, lab] = await Promise.all([backend.read('inventory', period(c)), backend.read('lab', period(c))]);
    return { inventory, lab };
  }));
  app.get('/command', (c) => answer(c, () => backend.read('command', consoleParams(c))));
  app.get('/ruby/digest', (c) => answer(c, () => backend.read('digest', consoleParams(c))));
  app.get('/ruby/branch/:clinicId', (c) => answer(c, () => {
    const clinicId = Number(c.req.param('clinicId'));
    if (!Number.isSafeInteger(clinicId)) throw new Refusal('ODX_INVALID_ARGUMENT', 'clinicId: is not a clinic id');
    return backend.read('benchmark', { ...consoleParams(c), clinicId });
  }));
  app.get('/targets', (c) => answer(c, async () => {
    const s = c.get('insightsScope');
    await mayManageTargets(backend, s);
    return backend.transaction((query) => targets(query, s.organizationId));
  }));
  app.put('/targets', (c) => answer(c, async () => {
    const s = c.get('insightsScope');
    await mayManageTargets(backend, s);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new Refusal('ODX_INVALID_ARGUMENT', 'body: must be JSON { targets: [...] }');
    }
    const set = backend.checkTargets((body as { targets?: unknown } | null)?.targets, s.clinicIds);
    return backend.transaction(async (query) => {
      // The set replaces the organization's targets; ids continue the table's.
      await query('LOCK TABLE app.ops_targets IN SHARE ROW EXCLUSIVE MODE', []);
      await query('DELETE FROM app.ops_targets WHERE organization_id = $1', [s.organizationId]);
      const [{ next }] = await query('SELECT coalesce(max(id), 0)::text AS next FROM app.ops_targets', []);
      let id = Number(next);
      for (const t of set) {
        id += 1;
        await query('INSERT INTO app.ops_targets (id, organization_id, clinic_id, metric, value, period) VALUES ($1, $2, $3, $4, $5::numeric, $6)',
          [id, s.organizationId, t.clinicId, t.metric, t.value, t.period]);
      }
      return targets(query, s.organizationId);
    });
  }));
  return app;
}
