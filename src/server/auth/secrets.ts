import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: station credentials, user session tokens. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Credentials are stored as SHA-256: they are random, so a slow hash adds nothing. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time check of a presented secret against its stored hash. */
export function hashMatches(secret: string, storedHash: string): boolean {
  const x = Buffer.from(secretHash(secret), 'hex');
  const y = Buffer.from(storedHash, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

// Without look-alikes (0/O, 1/I/L) so the code can be read aloud or typed from a screen.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time enrollment code: 12 symbols (~59 bits) in blocks of 4. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(12);
  // 256 % 31 leaves a small bias (<1 %), irrelevant for a code valid for hours and used once.
  const raw = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  return raw.match(/.{4}/g)!.join('-');
}

