// The smallest Worker that serves an odx report: the Command Center of the
// organization and month in the query (?organizationId=1&from=...&to=...),
// computed by odx's WebAssembly build from rows postgres.js reads over
// cloudflare:sockets. Needs the nodejs_compat flag and DATABASE_URL
// (?sslmode=require: TLS, the certificate verified). The README shows this
// file; the Worker suite runs it in workerd.
import postgres from 'postgres';
import { plan, finish } from '../wasm/worker.mjs';

interface Env {
  DATABASE_URL: string;
}

export default {
  async fetch(req: Request, env: Env, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const q = new URL(req.url).searchParams;
    const params = { organizationId: Number(q.get('organizationId')), from: q.get('from'), to: q.get('to') };
    const sql = postgres(env.DATABASE_URL, { max: 1 });
    try {
      // One read-only REPEATABLE READ transaction: every round sees one snapshot.
      const answer = await sql.begin('isolation level repeatable read read only', async (tx) => {
        const p = plan('command', params);
        let out = null;
        while (out === null) {
          const rows = [];
          for (const s of p.statements) rows.push(await tx.unsafe(s.text, s.values as never[]));
          out = finish(p, rows);
        }
        return out;
      });
      return Response.json(answer);
    } catch (e) {
      const err = e as Error & { code?: string };
      return Response.json({ error: { code: err.code ?? 'ODX_INTERNAL', message: err.message } }, { status: 400 });
    } finally {
      ctx.waitUntil(sql.end());
    }
  },
};
