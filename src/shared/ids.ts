/**
 * Time-ordered identifiers: UUID version 7 (RFC 9562 §5.7) — 48 bits of Unix time in
 * milliseconds, then randomness, in the usual 8-4-4-4-12 text form.
 *
 * Why not random (v4) UUIDs: every id we mint ends up as a key in a B-tree index (request
 * ids on the LAN server, order and record ids in the stores). Random keys land on a
 * random leaf page each, so a group commit of k requests dirties k scattered pages that
 * must all be written to the WAL and fsynced; keys that grow with time all land on the
 * rightmost leaf, one page for the whole batch. Same uniqueness (74 random bits per
 * millisecond), same format on the wire.
 *
 * Within one process ids are strictly increasing: `rand_a` (12 bits) is a counter that
 * starts at a random value below 2048 each millisecond and, if it overflows, borrows the
 * next millisecond (RFC 9562 §6.2, method 1). Uses Web Crypto, present in Node and in
 * every browser context (secure or not).
 */
let lastMs = -1;
let seq = 0;
const bytes = new Uint8Array(16);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// getRandomValues costs ~10 µs a call in Node whatever the size: draw 256 ids' worth at once.
const pool = new Uint8Array(4096);
let poolAt = pool.length;

export function newId(now: number = Date.now()): string {
  if (poolAt === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolAt = 0;
  }
  bytes.set(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  if (now > lastMs) {
    lastMs = now;
    seq = ((bytes[6]! & 0x07) << 8) | bytes[7]!; // random start in [0, 2047]
  } else if (++seq > 0xfff) {
    lastMs++;
    seq = 0;
  }
  const ms = lastMs;
  // 48-bit big-endian timestamp (split: JS bit operators are 32-bit).
  const hi = Math.floor(ms / 2 ** 32);
  const lo = ms >>> 0;
  bytes[0] = (hi >>> 8) & 0xff;
  bytes[1] = hi & 0xff;
  bytes[2] = (lo >>> 24) & 0xff;
  bytes[3] = (lo >>> 16) & 0xff;
  bytes[4] = (lo >>> 8) & 0xff;
  bytes[5] = lo & 0xff;
  bytes[6] = 0x70 | (seq >>> 8); // version 7 + high 4 bits of the counter
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  // Written out: an inner helper closure would be created (and, under tsx, renamed) per id.
  const b = bytes;
  const x = HEX;
  return (
    x[b[0]!]! + x[b[1]!]! + x[b[2]!]! + x[b[3]!]! + '-' + x[b[4]!]! + x[b[5]!]! + '-' + x[b[6]!]! + x[b[7]!]! + '-' +
    x[b[8]!]! + x[b[9]!]! + '-' + x[b[10]!]! + x[b[11]!]! + x[b[12]!]! + x[b[13]!]! + x[b[14]!]! + x[b[15]!]!
  );
}

/** The millisecond timestamp a v7 id carries (for diagnostics and tests). */
export function idTimestamp(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
