import type { ApiError } from '../../../../../shared/errors';
import { formatTime } from '../../../lib/dates';

/** Error code the LAN server uses when another workstation holds the order's lock. */
export const LOCK_HELD = 'LOCK_HELD';

interface Holder {
  user?: unknown;
  workstation?: unknown;
  ip?: unknown;
  since?: unknown;
}

/** "Pedido em faturamento por <usuário> em <estação> (IP <ip>) desde <hh:mm>" */
export function lockHeldMessage(error: ApiError): string {
  const d = (error.details ?? {}) as Holder & { holder?: Holder };
  const h: Holder = d.holder && typeof d.holder === 'object' ? d.holder : d;
  const since = typeof h.since === 'string' ? (/^\d{1,2}:\d{2}$/.test(h.since) ? h.since : formatTime(h.since)) : '—';
  return `Pedido em faturamento por ${String(h.user ?? '?')} em ${String(h.workstation ?? '?')} (IP ${String(h.ip ?? '?')}) desde ${since}`;
}
