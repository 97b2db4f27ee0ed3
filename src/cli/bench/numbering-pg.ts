import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, Socket, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The PostgreSQL side of `comboio bench numbering`: a throwaway cluster on loopback (Debian's
 * postgresql, installed with apt when missing) and a minimal wire-protocol client — simple
 * query protocol, trust authentication — enough to drive the row-counter allocator without
 * adding a database driver to the app for a benchmark.
 */
export interface PgCluster {
  port: number;
  version: string;
  stop(): void;
}

function pgBinDir(log: (l: string) => void): string {
  const find = () => {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return null;
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ? join(root, versions[0], 'bin') : null;
  };
  let dir = find();
  if (!dir) {
    log('PostgreSQL não encontrado: instalando o pacote postgresql do Debian (apt-get)…');
    const apt = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql'], { stdio: 'inherit' });
    if (apt.status !== 0) throw new Error('não foi possível instalar o PostgreSQL com apt-get (rode como root ou instale o pacote postgresql).');
    dir = find();
  }
  if (!dir) throw new Error('PostgreSQL instalado, mas initdb não foi encontrado em /usr/lib/postgresql/*/bin.');
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
  });
}

/**
 * initdb into a temp folder and start on 127.0.0.1 with durability on (fsync and
 * synchronous_commit are the defaults; set explicitly so nobody benchmarks against a
 * cluster that lies). Runs as the postgres user when we are root (initdb refuses root).
 */
export async function startPgCluster(log: (l: string) => void): Promise<PgCluster> {
  const bin = pgBinDir(log);
  const dir = mkdtempSync(join(tmpdir(), 'comboio-pgbench-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = join(bin, cmd);
    if (asRoot) return execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe', cwd: '/' });
    return execFileSync(full, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'bench', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const opts = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c fsync=on', '-c synchronous_commit=on', '-c full_page_writes=on', '-c max_connections=50'].join(' ');
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log.txt'), '-w', 'start']);
  const version = run('postgres', ['--version']).toString().trim();
  let stopped = false;
  return {
    port,
    version,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Just enough of the frontend/backend protocol v3 for `SELECT`/`UPDATE … RETURNING`. */
export class PgConnection {
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { ok: (rows: string[][]) => void; fail: (e: Error) => void; rows: string[][]; error: Error | null } | null = null;
  private readyWaiter: { ok: () => void; fail: (e: Error) => void } | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    socket.on('error', (e) => {
      this.waiting?.fail(e);
      this.readyWaiter?.fail(e);
    });
  }

  static async connect(port: number, user: string, database: string): Promise<PgConnection> {
    const socket = new Socket();
    await new Promise<void>((ok, fail) => {
      socket.once('error', fail);
      socket.connect(port, '127.0.0.1', () => {
        socket.off('error', fail);
        ok();
      });
    });
    const conn = new PgConnection(socket);
    const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
    const head = Buffer.alloc(8);
    head.writeInt32BE(8 + params.length, 0);
    head.writeInt32BE(196608, 4); // protocol 3.0
    await new Promise<void>((ok, fail) => {
      conn.readyWaiter = { ok, fail };
      socket.write(Buffer.concat([head, params]));
    });
    return conn;
  }

  query(sql: string): Promise<string[][]> {
    return new Promise((ok, fail) => {
      this.waiting = { ok, fail, rows: [], error: null };
      const body = Buffer.from(sql + '\0');
      const head = Buffer.alloc(5);
      head.write('Q', 0);
      head.writeInt32BE(4 + body.length, 1);
      this.socket.write(Buffer.concat([head, body]));
    });
  }

  close(): void {
    const term = Buffer.from([0x58, 0, 0, 0, 4]);
    this.socket.end(term);
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    while (this.buf.length >= 5) {
      const len = this.buf.readInt32BE(1);
      if (this.buf.length < 1 + len) return;
      const type = String.fromCharCode(this.buf[0]!);
      const body = this.buf.subarray(5, 1 + len);
      this.buf = this.buf.subarray(1 + len);
      this.onMessage(type, body);
    }
  }

  private onMessage(type: string, body: Buffer): void {
    switch (type) {
      case 'R': {
        const kind = body.readInt32BE(0);
        if (kind !== 0) this.readyWaiter?.fail(new Error(`autenticação PostgreSQL tipo ${kind} não suportada (o cluster do benchmark usa trust)`));
        return;
      }
      case 'D': {
        const n = body.readInt16BE(0);
        const row: string[] = [];
        let at = 2;
        for (let i = 0; i < n; i++) {
          const l = body.readInt32BE(at);
          at += 4;
          row.push(l < 0 ? '' : body.toString('utf8', at, at + l));
          if (l > 0) at += l;
        }
        this.waiting?.rows.push(row);
        return;
      }
      case 'E': {
        const err = new Error(`PostgreSQL: ${body.toString('utf8').split('\0').filter((f) => f.startsWith('M')).map((f) => f.slice(1)).join('; ')}`);
        if (this.waiting) this.waiting.error = err;
        else this.readyWaiter?.fail(err);
        return;
      }
      case 'Z': {
        if (this.readyWaiter) {
          const w = this.readyWaiter;
          this.readyWaiter = null;
          w.ok();
          return;
        }
        const w = this.waiting;
        this.waiting = null;
        if (w) {
          if (w.error) w.fail(w.error);
          else w.ok(w.rows);
        }
        return;
      }
      default:
        // S (parameter status), K (backend key), T (row description), C (command complete), N (notice).
        return;
    }
  }
}
