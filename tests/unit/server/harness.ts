import type { Clock } from '../../../src/core/clock';
import { connect, enrollStation, signInAtServer, type Enrollment, type NumberingClient, type SeriesKey } from '../../../src/core/numbering/index';
import type { Role } from '../../../src/shared/api/session';
import { startLanServer, type LanServer, type LanServerOptions } from '../../../src/server/index';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestServerCertificate } from '../../../src/core/fiscal/certificate';
import { evidenceKit } from '../../helpers/fiscal-evidence';
import { tempDir } from '../../helpers/tmp';

/** A clock the test moves by hand (wall and monotonic together). */
export class ManualClock implements Clock {
  private mono = 1_000;
  constructor(private wall = new Date('2026-03-10T09:00:00-03:00')) {}
  now(): Date {
    return new Date(this.wall);
  }
  monotonicMs(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.mono += ms;
    this.wall = new Date(this.wall.getTime() + ms);
  }
  setWall(d: Date): void {
    this.wall = d;
  }
}

export const SERIES: SeriesKey = { cnpj: '11222333000181', model: 55, serie: 1 };

export const PASSWORD = 'senha-de-teste';

let tlsFiles: { certFile: string; keyFile: string } | null = null;
/** One server certificate for every test server of this worker (making one costs ~1 s). */
export function sharedTlsFiles(): { certFile: string; keyFile: string } {
  if (tlsFiles) return tlsFiles;
  const dir = tempDir('comboio-tls-').dir;
  const made = makeTestServerCertificate({ hostnames: ['localhost', '127.0.0.1'] });
  tlsFiles = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  writeFileSync(tlsFiles.certFile, made.certPem);
  writeFileSync(tlsFiles.keyFile, made.keyPem);
  return tlsFiles;
}

/**
 * The real server in-process (real sockets, real TLS with its own certificate, real SQLite
 * file), with an injectable clock. `client(user, station)` enrolls the station once (one-time
 * code, pinned fingerprint), creates the user at the server if needed (administrador unless
 * `admins` names who is) and signs them in: the connection acts as that user.
 */
export async function startTestServer(opts: Partial<LanServerOptions> & { admins?: string[] } = {}) {
  const tmp = tempDir('comboio-server-');
  const clock = opts.clock ?? new ManualClock();
  const { admins, ...serverOpts } = opts;
  const server: LanServer = await startLanServer({
    dataDir: tmp.dir,
    port: 0,
    host: '127.0.0.1',
    clock,
    log: () => undefined,
    tls: sharedTlsFiles(),
    passwordHashLog2N: 10,
    // The test "SEFAZ" root stands for ICP-Brasil: its signatures are evidence.
    fiscalTrust: () => [evidenceKit().ca.certPem],
    ...serverOpts,
  });
  const url = `${server.fingerprint ? 'wss' : 'ws'}://127.0.0.1:${server.port}`;
  const clients: NumberingClient[] = [];
  const enrolled = new Map<string, Enrollment>();
  const serverActor = { user: 'servidor', workstation: 'servidor', ip: '127.0.0.1' };
  const enroll = async (workstation: string): Promise<Enrollment> => {
    let e = enrolled.get(workstation);
    if (!e) {
      e = await enrollStation({ url, code: self.server.newEnrollmentCode().code, workstation });
      enrolled.set(workstation, e);
    }
    return e;
  };
  const ensureUser = async (login: string, roles?: Role[]) => {
    const want: Role[] = roles ?? (admins === undefined || admins.includes(login) ? ['administrador'] : ['faturista']);
    const current = self.server.ctx.users.get(login);
    if (!current || current.roles.join() !== want.join()) {
      await self.server.ctx.users.save({ login, name: login, roles: want, active: true, ...(current ? {} : { password: PASSWORD }) }, serverActor);
    }
  };
  // Generous: a loaded 2-core CI machine can take seconds to verify fiscal evidence (signatures); tests that
  // are about timeouts build their own clients.
  const opts_ = { requestTimeoutMs: 10_000, retryDeadlineMs: 15_000, backoff: { initialMs: 50, maxMs: 200 } };
  /** A user's connection (signed in at the server). */
  const client = async (user = 'ana', workstation = 'FAT01', roles?: Role[]) => {
    const e = await enroll(workstation);
    await ensureUser(user, roles);
    const { token } = await signInAtServer({ url, station: e.credential, pin: e.pin, login: user, password: PASSWORD });
    const c = connect({ url, station: e.credential, pin: e.pin, userToken: token, ...opts_ });
    clients.push(c);
    await c.ready();
    return c;
  };
  /** The station's own connection (no user). */
  const stationClient = async (workstation = 'FAT01') => {
    const e = await enroll(workstation);
    const c = connect({ url, station: e.credential, pin: e.pin, ...opts_ });
    clients.push(c);
    await c.ready();
    return c;
  };
  const self = {
    server,
    url,
    clock: clock as ManualClock,
    dir: tmp.dir,
    client,
    stationClient,
    enroll,
    ensureUser,
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await self.server.close();
      tmp.cleanup();
    },
  };
  return self;
}

/** Runs `fn` and returns the AppError code (and message) it rejects with. */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await fn();
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a rejection');
}
