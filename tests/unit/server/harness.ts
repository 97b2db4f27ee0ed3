import type { Clock } from '../../../src/core/clock';
import { connect, type NumberingClient, type SeriesKey } from '../../../src/core/numbering/index';
import { startLanServer, type LanServer, type LanServerOptions } from '../../../src/server/index';
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

/** The real server in-process (real sockets, real SQLite file), with an injectable clock. */
export async function startTestServer(opts: Partial<LanServerOptions> = {}) {
  const tmp = tempDir('comboio-server-');
  const clock = opts.clock ?? new ManualClock();
  const server: LanServer = await startLanServer({ dataDir: tmp.dir, port: 0, host: '127.0.0.1', clock, log: () => undefined, ...opts });
  const clients: NumberingClient[] = [];
  const client = async (user = 'ana', workstation = 'FAT01', token = server.token) => {
    const c = connect({ url: `ws://127.0.0.1:${server.port}`, token, user, workstation, requestTimeoutMs: 3000, retryDeadlineMs: 5000, backoff: { initialMs: 50, maxMs: 200 } });
    clients.push(c);
    await c.ready();
    return c;
  };
  return {
    server,
    clock: clock as ManualClock,
    dir: tmp.dir,
    client,
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await server.close();
      tmp.cleanup();
    },
  };
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
