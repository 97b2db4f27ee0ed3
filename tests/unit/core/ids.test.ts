import { describe, expect, it } from 'vitest';
import { idTimestamp, newId } from '../../../src/shared/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId (UUID v7, RFC 9562)', () => {
  it('has the v7 layout: version 7, variant 10, the millisecond timestamp up front', () => {
    const t = Date.UTC(2026, 10, 23, 13, 45, 6, 789);
    const id = newId(t + 10_000_000); // ahead of any id minted so far in this process
    expect(id).toMatch(V7);
    expect(idTimestamp(id)).toBe(t + 10_000_000);
  });

  it('is strictly increasing within a process, also many ids in one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    const outOfOrder = ids.filter((id, i) => i > 0 && !(id > ids[i - 1]!));
    expect(outOfOrder).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('borrows the next millisecond when the 12-bit counter overflows, and stays ordered if the clock steps back', () => {
    const t = Date.now() + 20_000_000;
    const ids = Array.from({ length: 5000 }, () => newId(t)); // > 4096 in the same millisecond
    expect(idTimestamp(ids.at(-1)!)).toBeGreaterThan(t);
    const back = newId(t - 60_000);
    expect(back > ids.at(-1)!).toBe(true);
    for (const id of [...ids, back]) expect(id).toMatch(V7);
  });

  it('keeps 62 random bits even for ids of the same millisecond', () => {
    const t = Date.now() + 30_000_000;
    const tails = new Set(Array.from({ length: 1000 }, () => newId(t).slice(19)));
    expect(tails.size).toBe(1000);
  });
});
