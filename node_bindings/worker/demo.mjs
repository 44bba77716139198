// One report computed in workerd: the org-insights Worker (odx's
// WebAssembly build, postgres.js over cloudflare:sockets with TLS) started
// by the real Workers runtime against DATABASE_URL, asked for the demo
// network's Command Center of June 2026 as its org admin (user 50000001),
// printed as a head of operations reads it. Run by scripts/worker-demo.sh.
import { startWorker, workerUrl } from './run.mjs';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set: run scripts/worker-demo.sh');
const worker = await startWorker({ databaseUrl: workerUrl(url), defaultUser: 50000001 });
try {
  const t0 = performance.now();
  const res = await fetch(`${worker.base}/api/v1/org/insights/command?from=2026-06-01&to=2026-06-30`);
  const ms = performance.now() - t0;
  const c = await res.json();
  if (!res.ok) throw new Error(`the Worker answered ${res.status}: ${JSON.stringify(c)}`);
  const pct = (x) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
  const pkr = (s) => `PKR ${Number(s).toLocaleString('en-PK', { maximumFractionDigits: 0 })}`;
  console.log(`Command Center, computed in workerd (first answer ${worker.startedMs.toFixed(0)} ms after start; this call ${ms.toFixed(0)} ms)`);
  console.log(`as of ${c.asOf} (${c.from} to ${c.to}), branches ${c.clinicIds.join(', ')}`);
  console.log(`  billed ${pkr(c.billed)}, collected ${pkr(c.collected)} (collection rate ${pct(c.collectionRate)})`);
  console.log(`  revenue month to date ${pkr(c.revenueMtd.billed)} of target ${c.revenueMtd.targetToDate === null ? 'n/a' : pkr(c.revenueMtd.targetToDate)}`);
  console.log(`  no-show rate ${pct(c.noShowRate)}, no-show bleed ${pkr(c.noShowBleed)}, net profit ${c.netProfit === null ? 'n/a' : pkr(c.netProfit)}`);
  for (const b of c.leaderboard) {
    console.log(`  #${b.rank} ${b.branchName} (${b.city}): billed ${pkr(b.billed)}, collection ${pct(b.collectionRate)}, no-show ${pct(b.noShowRate)}`);
  }
  for (const a of c.alerts) console.log(`  alert: ${a.metric} at ${a.branchName === null ? 'the network' : `${a.branchName} (${a.city})`}`);
} finally {
  await worker.stop();
}
