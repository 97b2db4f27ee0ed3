import type { LockManager } from './locks/lock-manager';
import type { SyncService } from './sync/index';
import type { JsonObject } from '../core/sync/protocol';

/** Fields the billing flow itself moves on an order (status, link to its document). */
const BILLING_FIELDS = new Set(['status', 'documentId', 'updatedAt', 'pendingFinalize']);

/**
 * The office's rules on shared records, enforced by the system of record so an offline
 * edit can never undo what another workstation already did.
 */
export function registerDomainRules(sync: SyncService, locks: LockManager): void {
  const engine = sync.engine;
  engine.registerCollection('orders', {
    validate: (_c, current, m, actor) => {
      if (Object.keys(m.fields).every((f) => BILLING_FIELDS.has(f))) return;
      if (current?.status === 'faturado') {
        return { code: 'ORDER_BILLED', message: 'Este pedido já foi faturado em outra estação; a alteração feita aqui não foi aplicada.' };
      }
      // Online, an order is edited under its lock: while someone is billing it, nobody else changes it.
      const orderId = (m.next?.id ?? current?.id) as string | undefined;
      const holder = orderId ? locks.list().find((l) => l.orderId === orderId) : undefined;
      if (holder && (holder.user !== actor.user || holder.workstation !== actor.workstation)) {
        const since = new Date(holder.since);
        const hhmm = `${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}`;
        return { code: 'LOCK_HELD', message: `Pedido em faturamento por ${holder.user} em ${holder.workstation} (IP ${holder.ip}) desde ${hhmm}; a alteração não foi aplicada.` };
      }
    },
  });
  engine.registerCollection('users', {
    validate: (_c, current, _m, actor) => {
      if (actor.source === 'server') return;
      // A station creates the first users (demo seed, installation); after that only administrators.
      if (actor.user.startsWith('estacao:') && current === null) return;
      const author = engine.get('users', actor.user)?.data as JsonObject | undefined;
      const roles = Array.isArray(author?.roles) ? author.roles : [];
      if (author && author.active !== false && roles.includes('administrador')) return;
      return { code: 'FORBIDDEN', message: 'Só um administrador altera usuários e perfis.' };
    },
  });
}
