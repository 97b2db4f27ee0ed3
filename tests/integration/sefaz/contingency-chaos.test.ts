import { describe, expect, test } from 'vitest';
import { runContingencyChaos } from '../../../src/cli/bench/contingency';
import { tempDir } from '../../helpers/tmp';

/**
 * The CI variant of the contingency chaos run (`comboio bench contingencia --docs 200` is the
 * full one, figures in the README): the simulator as its own process, the UF authorizer
 * flapping, SVC switched on and off.
 */
describe('contingency chaos (CI variant)', () => {
  test('40 documents with the authorizer flapping: every number authorized, cancelled or inutilizado; 0 × 539; one key per number', async () => {
    const tmp = tempDir('comboio-contingency-chaos-');
    try {
      // flapMs 100: on a fast, idle machine 40 documents take about 3 s, and the authorizer must
      // change mode many times within them (at 400 ms every document once went through normally).
      const r = await runContingencyChaos({ docs: 40, dir: tmp.dir, seed: 7, flapMs: 100 });
      expect(r.modeChanges).toBeGreaterThan(3);
      expect(r.byTpEmis['1'] ?? 0).toBeLessThan(40);
      expect(r.rejections539).toBe(0);
      expect(r.numbersWithTwoKeys).toBe(0);
      expect(r.unaccounted).toEqual([]);
      expect(r.pendingContingency).toBe(0);
      expect(r.liveOutbox).toBe(0);
      expect(r.authorized + r.cancelled + r.inutilizados).toBe(r.numbers);
      expect(r.authorized).toBe(r.docs);
    } finally {
      tmp.cleanup();
    }
  }, 240_000);
});
