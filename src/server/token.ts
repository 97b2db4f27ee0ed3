import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_FILE = 'server-token.txt';

/**
 * The installation token: created on first start, shown to the administrator, typed once
 * per workstation. Stored in the data folder readable only by the service account.
 */
export function loadOrCreateToken(dataDir: string): { token: string; file: string; created: boolean } {
  const file = join(dataDir, TOKEN_FILE);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, created: false };
  }
  // 24 symbols from an alphabet without look-alikes (0/O, 1/I/L), ~118 bits, in blocks of 4
  // so an administrator can dictate it over the phone.
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(24);
  const raw = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  const token = raw.match(/.{4}/g)!.join('-');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  try {
    chmodSync(file, 0o600);
  } catch {
    // Windows has no POSIX modes; the folder's ACL protects it there.
  }
  return { token, file, created: true };
}

/** Constant-time comparison (hashing first makes lengths equal). */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected.trim().toUpperCase()).digest();
  const b = createHash('sha256').update(given.trim().toUpperCase()).digest();
  return timingSafeEqual(a, b);
}
