import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * A private CUPS scheduler (Debian `cups`) for one test file: its own config, spool and
 * state folders and its own loopback port, so nothing touches a system CUPS. Clients reach
 * it through CUPS_SERVER.
 */
export interface PrivateCups {
  server: string;
  /** Runs a CUPS client (lpadmin, lpstat, cupsdisable…) against this scheduler. */
  run(cmd: string, args: string[]): string;
  stop(): Promise<void>;
}

/** cupsd, lpadmin, cupsenable live in sbin, which a non-login PATH may lack. */
const bin = (cmd: string) => (existsSync(`/usr/sbin/${cmd}`) ? `/usr/sbin/${cmd}` : cmd);

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

export async function startCups(dir: string): Promise<PrivateCups> {
  const root = join(dir, 'cups');
  for (const sub of ['spool', 'tmp', 'state', 'cache', 'log', 'ppd']) mkdirSync(join(root, sub), { recursive: true });
  // The backend runs as user lp: it must reach the spool files through the test's temp dir.
  chmodSync(dir, 0o755);
  chmodSync(root, 0o755);
  const port = await freePort();
  const server = `127.0.0.1:${port}`;
  writeFileSync(
    join(root, 'cupsd.conf'),
    [
      `Listen ${server}`,
      'LogLevel warn',
      'Browsing Off',
      'DefaultAuthType None',
      'WebInterface No',
      '<Location />\n  Order allow,deny\n  Allow all\n</Location>',
      '<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>',
      '<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'cups-files.conf'),
    [
      `ServerRoot ${root}`,
      `RequestRoot ${join(root, 'spool')}`,
      `TempDir ${join(root, 'tmp')}`,
      `StateDir ${join(root, 'state')}`,
      `CacheDir ${join(root, 'cache')}`,
      `AccessLog ${join(root, 'log', 'access_log')}`,
      `ErrorLog ${join(root, 'log', 'error_log')}`,
      `PageLog ${join(root, 'log', 'page_log')}`,
      'FileDevice No',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn(bin('cupsd'), ['-f', '-c', join(root, 'cupsd.conf'), '-s', join(root, 'cups-files.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((ok) => proc.once('exit', () => ok()));
  const env = { ...process.env, CUPS_SERVER: server, LC_ALL: 'C' };
  const run = (cmd: string, args: string[]) => execFileSync(bin(cmd), args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`cupsd exited: ${log}`);
    let up = false;
    try {
      up = /scheduler is running/.test(run('lpstat', ['-r']));
    } catch {
      // Not listening yet.
    }
    if (up) break;
    if (Date.now() > deadline) throw new Error(`cupsd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    server,
    run,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
