import { createServer, type Server, type Socket } from 'node:net';

/** How the fake print server behaves on the next connections. */
export type ListenerMode =
  | { kind: 'normal' }
  /** Reads `after` bytes, then stops reading (a printer out of paper behind a print server). */
  | { kind: 'stall'; after: number }
  /** Reads `after` bytes, then drops the connection with a reset (print server rebooted). */
  | { kind: 'reset'; after: number };

/**
 * A JetDirect-style raw TCP print server on loopback (port 9100's protocol: bytes in,
 * close at the end). Each connection's bytes are kept apart, so a test can tell a whole
 * form from a partial one.
 */
export interface RawListener {
  port: number;
  mode: ListenerMode;
  /** Bytes of each connection, in connection order. */
  connections(): Buffer[];
  /** Resolves when `n` connections have ended (the client closed, we closed back) or stalled. */
  waitForConnections(n: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

export async function rawListener(): Promise<RawListener> {
  const conns: { chunks: Buffer[]; done: boolean }[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of waiters) w();
  };
  const l: RawListener = {
    port: 0,
    mode: { kind: 'normal' },
    connections: () => conns.map((c) => Buffer.concat(c.chunks)),
    waitForConnections(n, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        const check = () => {
          if (conns.filter((c) => c.done).length >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            ok(l.connections());
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`only ${conns.filter((c) => c.done).length} of ${n} connections ended`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    const mode = l.mode;
    const conn = { chunks: [] as Buffer[], done: false };
    conns.push(conn);
    let got = 0;
    const finish = () => {
      if (conn.done) return;
      conn.done = true;
      notify();
    };
    socket.on('data', (d: Buffer) => {
      const room = mode.kind === 'normal' ? d.length : Math.max(0, mode.after - got);
      const take = d.subarray(0, Math.min(room, d.length));
      conn.chunks.push(take);
      got += take.length;
      if (mode.kind === 'stall' && got >= mode.after) {
        // A paused socket never sees the client leave: its capture is complete here.
        socket.pause();
        finish();
      }
      if (mode.kind === 'reset' && got >= mode.after) {
        socket.resetAndDestroy();
        finish();
      }
    });
    // The client's half-close: a print server closes back once it has read everything. A
    // stalled one never gets that far (Node may have read ahead of the stall point: ignore it).
    socket.on('end', () => {
      if (mode.kind === 'stall' && got >= mode.after) return;
      socket.end();
      finish();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      finish();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  l.port = (server.address() as { port: number }).port;
  return l;
}
