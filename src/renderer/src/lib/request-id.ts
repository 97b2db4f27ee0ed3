import { newId } from '../../../shared/ids';

/**
 * A fresh id per fiscal request so a retried finalize is recognised by the core instead of
 * allocating a second number. Time-ordered (UUID v7), like every id the server indexes;
 * built on getRandomValues, which exists also outside secure contexts (a plain-HTTP LAN
 * address is not one, and has no randomUUID).
 */
export function newRequestId(): string {
  return newId();
}
