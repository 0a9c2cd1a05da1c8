// Global setup: build the console when dist/ is missing, then start `sportello serve --demo` on a
// free port with a fresh data directory; the returned function stops it.
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');

const TEST_VARIABLES = ['SPORTELLO_BIN', 'SPORTELLO_URL', 'SPORTELLO_SERVER_LOG', 'SPORTELLO_KEEP_DATA', 'SPORTELLO_GATEWAY', 'SPORTELLO_SCREENSHOTS'];

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sportello exited with ${child.exitCode}; see ${log}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sportello not ready after 60 s; see ${log}`);
}

export default async function globalSetup() {
  if (!existsSync(join(web, 'dist', 'index.html'))) {
    execSync('npm run build', { cwd: web, stdio: 'inherit' });
  }
  const bin = process.env.SPORTELLO_BIN ?? join(repo, 'target', 'debug', 'sportello');
  if (!existsSync(bin)) throw new Error(`server binary not found at ${bin} (set SPORTELLO_BIN)`);
  const data = mkdtempSync(join(tmpdir(), 'sportello-web-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = join(data, 'server.log');
  const out = openSync(log, 'a');
  // The server rejects unknown SPORTELLO_* variables: pass it none of the test's own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !TEST_VARIABLES.includes(k)));
  const child = spawn(bin, ['serve', '--demo'], {
    env: {
      ...env,
      SPORTELLO_DATA_DIR: data,
      SPORTELLO_LISTEN: `127.0.0.1:${port}`,
      SPORTELLO_WEB_DIR: join(web, 'dist'),
    },
    stdio: ['ignore', out, out],
  });
  await waitReady(url, child, log);
  process.env.SPORTELLO_URL = url;
  process.env.SPORTELLO_SERVER_LOG = log;
  console.log(`sportello at ${url} (data ${data})`);

  return async () => {
    child.kill('SIGTERM');
    await new Promise<void>((ok) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        ok();
      }, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        ok();
      });
    });
    if (!process.env.SPORTELLO_KEEP_DATA) rmSync(data, { recursive: true, force: true });
  };
}
