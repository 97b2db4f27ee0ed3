/**
 * A workstation as its own process, for the LAN server integration tests.
 *   alloc <json>  allocate `count` numbers; prints "A <seriesIndex> <number> <replayed 0|1> <attempts>" per ack, then "DONE"
 *   lock  <json>  lock one order; prints "LOCKED <token>" and waits to be killed
 */
import { connectUser, type SeriesKey, type StationCredential } from '../../../src/core/numbering/index';

interface Config {
  url: string;
  station: StationCredential;
  pin: string | null;
  login: string;
  password: string;
  worker: number;
  count?: number;
  series?: SeriesKey[];
  orderId?: string;
}

const [mode, json] = process.argv.slice(2);
const cfg = JSON.parse(json!) as Config;
const client = await connectUser({
  url: cfg.url,
  station: cfg.station,
  pin: cfg.pin,
  login: cfg.login,
  password: cfg.password,
  requestTimeoutMs: 3_000,
  retryDeadlineMs: 180_000,
  backoff: { initialMs: 50, maxMs: 300 },
});

if (mode === 'alloc') {
  const series = cfg.series!;
  const lines: string[] = [];
  const flush = () => {
    if (lines.length) process.stdout.write(lines.splice(0).join('\n') + '\n');
  };
  const flusher = setInterval(flush, 50);
  for (let i = 0; i < cfg.count!; i++) {
    const s = i % series.length;
    const r = await client.allocate({ series: series[s]!, orderId: `O-${cfg.worker}-${i}`, requestId: `R-${cfg.worker}-${i}`, suggested: null });
    lines.push(`A ${s} ${r.number} ${r.replayed ? 1 : 0} ${r.attempts}`);
  }
  clearInterval(flusher);
  flush();
  process.stdout.write('DONE\n');
  await client.close();
} else if (mode === 'lock') {
  const r = await client.lock(cfg.orderId!, 'NF');
  if (!r.granted) throw new Error('lock not granted');
  process.stdout.write(`LOCKED ${r.token}\n`);
  setInterval(() => undefined, 1 << 30);
} else {
  throw new Error(`unknown mode ${mode}`);
}
