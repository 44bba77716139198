// The org-insights Worker (worker/worker.mts, bundled by worker/build.mjs) run
// by the real Workers runtime, workerd (npm package `workerd`), on a free
// local port, reading PostgreSQL over cloudflare:sockets with TLS
// (the server's certificate verified against the given CA). Shared by the
// Worker suite, the route suite (test/) and the demo (worker/demo.mjs).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const dist = path.join(here, 'dist');
const workerd = path.join(here, '..', 'node_modules', '.bin', 'workerd');
// The CA of the test cluster's certificate (scripts/pg-setup.sh).
export const TEST_CA = process.env.ODX_TLS_CA ?? '/var/lib/postgresql/odx-tls/ca.crt';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A database URL as the Worker uses it: the host name the certificate names
// (localhost), TLS required.
export function workerUrl(databaseUrl) {
  const u = new URL(databaseUrl);
  if (u.hostname === '127.0.0.1') u.hostname = 'localhost';
  u.searchParams.set('sslmode', 'require');
  return u.toString();
}

// Starts workerd serving the Worker: { base, stop, startedMs } (startedMs:
// from the spawn to the first answer, the cold start). `ca`: the PEM file
// the outbound network trusts (null: none at all); `main`: the bundle
// served (worker.mjs, the org-insights routes; minimal.mjs, the README's),
// `ready` the path asked until it answers.
export async function startWorker({ databaseUrl, defaultUser = 50000001, ca = TEST_CA, main = 'worker.mjs', ready = '/health' }) {
  if (!existsSync(path.join(dist, main))) throw new Error('worker/dist is not built: node worker/build.mjs');
  const port = await freePort();
  const certs = ca === null ? '' : JSON.stringify(readFileSync(ca, 'utf8'));
  const config = path.join(dist, `workerd-${port}.capnp`);
  writeFileSync(config, readFileSync(path.join(here, 'workerd.capnp.in'), 'utf8')
    .replaceAll('@PORT@', String(port)).replaceAll('@CA@', certs).replaceAll('@MAIN@', main));
  const t0 = performance.now();
  const child = spawn(workerd, ['serve', config, '--verbose'], {
    env: { ...process.env, ODX_WORKER_DATABASE_URL: databaseUrl, ODX_WORKER_DEFAULT_USER: String(defaultUser) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${child.exitCode}): ${log}`);
    try {
      const res = await fetch(`${base}${ready}`);
      await res.arrayBuffer();
      break;
    } catch {
      // not listening yet
    }
    if (i > 300) {
      child.kill();
      throw new Error(`workerd did not answer in 30 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const startedMs = performance.now() - t0;
  return {
    base,
    startedMs,
    log: () => log,
    stop: async () => {
      child.kill();
      await exited;
    },
  };
}
