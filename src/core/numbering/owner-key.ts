import { createHash, randomBytes } from 'node:crypto';

/**
 * A lock's owner key: a secret the station keeps in its finalize journal. The lock request
 * carries only its hash (as the request id), so a restarted station — a new connection, with
 * no user signed in yet — proves it is the same holder by showing the key, which only it has.
 */
export function newOwnerKey(): string {
  return randomBytes(16).toString('base64url');
}

export function ownerKeyHash(key: string): string {
  return `ok_${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
}
