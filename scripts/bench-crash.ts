// Randomized crash benchmark (issue #17): a batch of orders finalized on a real station,
// killed with SIGKILL at random moments while finalize work runs, restarted every time.
//   node --import tsx scripts/bench-crash.ts [--orders 50] [--kills 100] [--max-delay-ms 2500]
// Needs the official schemas (COMBOIO_SCHEMAS or ../shared/schemas). Prints the audit as JSON.
import { parseArgs } from 'node:util';
import { runCrashBatch } from '../tests/helpers/crash-run';
import { tempDir } from '../tests/helpers/tmp';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '50' }, kills: { type: 'string', default: '100' }, 'max-delay-ms': { type: 'string', default: '2500' } } });
const tmp = tempDir('comboio-bench-crash-');
try {
  const r = await runCrashBatch({
    dir: tmp.dir,
    orders: Number(values.orders),
    kills: Number(values.kills),
    maxDelayMs: Number(values['max-delay-ms']),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  const ok = r.billedOnce === r.orders && r.duplicates + r.holes + r.ordersWithTwoNumbers + r.orphans + r.secondKeys + r.locksLeft === 0;
  process.exitCode = ok ? 0 : 1;
} finally {
  tmp.cleanup();
}
