import { afterAll, describe, expect, it } from 'vitest';
import { runCrashBatch } from '../../helpers/crash-run';
import { tempDir } from '../../helpers/tmp';

// The small variant of `scripts/bench-crash.ts` (50 orders, ≥100 kills there): a real
// station killed with SIGKILL at random moments while it finalizes, restarted each time.
const tmp = tempDir('comboio-crash-random-');
afterAll(() => tmp.cleanup());

describe('kill -9 at random moments during a batch of finalizes', () => {
  it('ends with every order billed once: no orphan, duplicate, hole or second chave', async () => {
    const r = await runCrashBatch({ dir: tmp.dir, orders: 10, kills: 10, maxDelayMs: 2000 });
    console.log(JSON.stringify(r));
    expect(r.kills).toBe(10);
    expect(r).toMatchObject({ billedOnce: 10, duplicates: 0, holes: 0, ordersWithTwoNumbers: 0, orphans: 0, secondKeys: 0, locksLeft: 0 });
    // The kills must cut finalize work, not idle time.
    expect(r.killsMidFinalize).toBeGreaterThanOrEqual(5);
  }, 600_000);
});
