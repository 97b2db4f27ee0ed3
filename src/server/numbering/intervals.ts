export type Interval = [first: number, last: number];

/** Parts of [first, last] not covered by any of `covered` (which may overlap or extend past it). */
export function uncovered(first: number, last: number, covered: Interval[]): Interval[] {
  const sorted = covered.filter(([a, b]) => b >= first && a <= last).sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  let cursor = first;
  for (const [a, b] of sorted) {
    if (a > cursor) out.push([cursor, Math.min(a - 1, last)]);
    cursor = Math.max(cursor, b + 1);
    if (cursor > last) return out;
  }
  if (cursor <= last) out.push([cursor, last]);
  return out;
}

/** Runs of consecutive integers from a sorted list: [3,4,5,9] → [[3,5],[9,9]]. */
export function runs(sortedNumbers: number[]): Interval[] {
  const out: Interval[] = [];
  for (const n of sortedNumbers) {
    const lastRun = out[out.length - 1];
    if (lastRun && n === lastRun[1] + 1) lastRun[1] = n;
    else out.push([n, n]);
  }
  return out;
}


/** [a, b] minus [cutFirst, cutLast]: zero, one or two pieces. */
export function subtract([a, b]: Interval, [cutFirst, cutLast]: Interval): Interval[] {
  if (cutLast < a || cutFirst > b) return [[a, b]];
  const out: Interval[] = [];
  if (cutFirst > a) out.push([a, cutFirst - 1]);
  if (cutLast < b) out.push([cutLast + 1, b]);
  return out;
}
