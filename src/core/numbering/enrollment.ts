import { createHmac } from 'node:crypto';

/** Enrollment of a station at the LAN server: shared by the station (client) and the server. */

export function normalizeCode(code: string): string {
  const raw = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return raw.length === 12 ? raw.match(/.{4}/g)!.join('-') : raw;
}

/**
 * What a station sends instead of the code itself: an HMAC of the certificate fingerprint
 * it sees, keyed by the code. A machine in the middle (another certificate) cannot turn it
 * into a proof for the real server, and never sees the code.
 */
export function enrollmentProof(code: string, fingerprint: string): string {
  return createHmac('sha256', normalizeCode(code)).update(`comboio-enroll|station|${fingerprint.toUpperCase()}`).digest('base64url');
}

/** The server's answer, proving it knew the code too (the station checks it before trusting). */
export function enrollmentServerProof(code: string, fingerprint: string, stationId: string): string {
  return createHmac('sha256', normalizeCode(code)).update(`comboio-enroll|server|${fingerprint.toUpperCase()}|${stationId}`).digest('base64url');
}
