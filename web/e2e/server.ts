// Global setup: build the console when dist/ is missing, then start `sportello serve --demo` on a
// free port with a fresh data directory; the returned function stops it. That server has no SMTP
// server: its e-mails wait (PENDING), as they do wherever none is configured.
//
// With SPORTELLO_TEST_PYTHON (a Python with aiosmtpd, as scripts/test prepares) a second server
// starts beside it for the e-mail round trips (e2e/messages.spec.ts): its e-mails go to an aiosmtpd
// that writes them to a Maildir. Its address is SPORTELLO_MAIL_URL, the Maildir SPORTELLO_MAILDIR.
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, openSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(web, '..');

const TEST_VARIABLES = [
  'SPORTELLO_BIN',
  'SPORTELLO_URL',
  'SPORTELLO_SERVER_LOG',
  'SPORTELLO_KEEP_DATA',
  'SPORTELLO_GATEWAY',
  'SPORTELLO_SCREENSHOTS',
  'SPORTELLO_TEST_PYTHON',
  'SPORTELLO_MAIL_URL',
  'SPORTELLO_MAILDIR',
  'SPORTELLO_MAIL_LOG',
];

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

/** Stops a child process: SIGTERM, then SIGKILL after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
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
}

/** `sportello serve --demo` on a free port with the data directory `data` and `extra` settings. */
async function startServer(bin: string, data: string, extra: (url: string) => Record<string, string> = () => ({})) {
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
      ...extra(url),
    },
    stdio: ['ignore', out, out],
  });
  try {
    await waitReady(url, child, log);
  } catch (e) {
    await stop(child);
    throw e;
  }
  return { child, url, log };
}

/** Waits until something accepts connections on `port` (the SMTP server), or fails after 30 s. */
async function waitListening(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`aiosmtpd exited with ${child.exitCode}; see ${log}`);
    const open = await new Promise<boolean>((ok) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        ok(true);
      });
      socket.once('error', () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aiosmtpd not listening after 30 s; see ${log}`);
}

/**
 * The server of the e-mail round trips: an aiosmtpd writing to a Maildir (created by aiosmtpd: the
 * directory must not exist yet) and a server sending to it, checking its outbox every second,
 * whose links point to itself.
 */
async function startMailServer(bin: string, python: string) {
  const data = mkdtempSync(join(tmpdir(), 'sportello-web-e2e-mail-'));
  const maildir = join(data, 'maildir');
  const smtpPort = await freePort();
  const smtpLog = join(data, 'smtp.log');
  const smtp = spawn(python, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    stdio: ['ignore', openSync(smtpLog, 'a'), openSync(smtpLog, 'a')],
  });
  try {
    await waitListening(smtpPort, smtp, smtpLog);
    const server = await startServer(bin, data, (url) => ({
      SPORTELLO_MESSAGES__SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SPORTELLO_MESSAGES__INTERVAL_SECS: '1',
      SPORTELLO_PUBLIC_URL: url,
    }));
    return { ...server, smtp, data, maildir };
  } catch (e) {
    await stop(smtp);
    throw e;
  }
}

export default async function globalSetup() {
  if (!existsSync(join(web, 'dist', 'index.html'))) {
    execSync('npm run build', { cwd: web, stdio: 'inherit' });
  }
  const bin = process.env.SPORTELLO_BIN ?? join(repo, 'target', 'debug', 'sportello');
  if (!existsSync(bin)) throw new Error(`server binary not found at ${bin} (set SPORTELLO_BIN)`);
  const python = process.env.SPORTELLO_TEST_PYTHON;
  const data = mkdtempSync(join(tmpdir(), 'sportello-web-e2e-'));
  const [started, mailStarted] = await Promise.allSettled([startServer(bin, data), python ? startMailServer(bin, python) : Promise.resolve(null)]);
  if (started.status === 'rejected' || mailStarted.status === 'rejected') {
    if (started.status === 'fulfilled') await stop(started.value.child);
    if (mailStarted.status === 'fulfilled' && mailStarted.value) await Promise.all([stop(mailStarted.value.child), stop(mailStarted.value.smtp)]);
    throw started.status === 'rejected' ? started.reason : (mailStarted as PromiseRejectedResult).reason;
  }
  const main = started.value;
  const mail = mailStarted.value;
  process.env.SPORTELLO_URL = main.url;
  process.env.SPORTELLO_SERVER_LOG = main.log;
  console.log(`sportello at ${main.url} (data ${data})`);
  if (mail) {
    process.env.SPORTELLO_MAIL_URL = mail.url;
    process.env.SPORTELLO_MAILDIR = mail.maildir;
    process.env.SPORTELLO_MAIL_LOG = mail.log;
    console.log(`sportello with e-mail at ${mail.url} (Maildir ${mail.maildir})`);
  }

  return async () => {
    await Promise.all([stop(main.child), ...(mail ? [stop(mail.child), stop(mail.smtp)] : [])]);
    if (!process.env.SPORTELLO_KEEP_DATA) {
      rmSync(data, { recursive: true, force: true });
      if (mail) rmSync(mail.data, { recursive: true, force: true });
    }
  };
}
