import type { ServerContext } from './context';
import type { SyncService } from './sync/index';

/** Fields the billing flow itself moves on an order (status, link to its document). */
const BILLING_FIELDS = new Set(['status', 'documentId', 'updatedAt', 'pendingFinalize']);

/**
 * The office's rules on shared records, enforced by the system of record so an offline
 * edit can never undo what another workstation already did. The actor a validator sees is
 * the authenticated connection's (an enrolled station, or a user signed in at the server),
 * never the author a mutation declares.
 */
export function registerDomainRules(sync: SyncService, ctx: Pick<ServerContext, 'locks' | 'audit'> & Partial<Pick<ServerContext, 'users'>>): void {
  const engine = sync.engine;
  engine.registerCollection('orders', {
    validate: (_c, current, m, actor) => {
      // Only a draft may be deleted: a billed or billing order is part of the fiscal record.
      if (m.delete && current && current.status !== 'rascunho') {
        return { code: 'ORDER_NOT_DRAFT', message: 'Só um pedido em rascunho pode ser excluído; este já está em faturamento ou faturado.' };
      }
      if (!m.delete && Object.keys(m.fields).every((f) => BILLING_FIELDS.has(f))) return;
      if (current?.status === 'faturado') {
        return { code: 'ORDER_BILLED', message: 'Este pedido já foi faturado em outra estação; a alteração feita aqui não foi aplicada.' };
      }
      // Online, an order is edited under its lock: while another station bills it, nobody else changes it.
      const orderId = (m.next?.id ?? current?.id) as string | undefined;
      const holder = orderId ? ctx.locks.list().find((l) => l.orderId === orderId) : undefined;
      if (holder && holder.workstation !== actor.workstation) {
        const since = new Date(holder.since);
        const hhmm = `${String(since.getHours()).padStart(2, '0')}:${String(since.getMinutes()).padStart(2, '0')}`;
        // The person's name, as Usuários has it (#22 item 15), not the login.
        const who = ctx.users?.get(holder.user)?.name ?? holder.user;
        return { code: 'LOCK_HELD', message: `Pedido em faturamento por ${who} em ${holder.workstation} (IP ${holder.ip}) desde ${hhmm}; a alteração não foi aplicada.` };
      }
    },
  });
  // Signed XML is sacred (#16: a station credential alone must not rewrite a fiscal record):
  // once a document carries its signed XML or SEFAZ's nfeProc/cteProc, no push changes or
  // deletes them; the refusal is audited. Status, events and links still replicate.
  engine.registerCollection('documents', {
    validate: (_c, current, m, actor) => {
      if (actor.source === 'server' || !current) return;
      const sealed = ['signedXml', 'procXml'].filter((f) => typeof current[f] === 'string' && current[f] !== '');
      const touched = m.delete ? sealed : sealed.filter((f) => Object.prototype.hasOwnProperty.call(m.fields, f) && m.fields[f] !== current[f]);
      if (touched.length === 0) return;
      ctx.audit.record(actor, {
        action: 'sync.documents.refused',
        target: String(current.chave ?? current.id ?? '?').slice(0, 64),
        newValue: m.delete ? 'exclusão' : touched.join(','),
        reason: 'XML assinado ou protocolo da SEFAZ alterado pelo feed de sincronização',
      });
      return {
        code: 'DOCUMENT_XML_IMMUTABLE',
        message: 'O XML assinado e o protocolo da SEFAZ de um documento não mudam nem são excluídos depois de gravados; a alteração não foi aplicada.',
      };
    },
  });
  // Users and roles change only through `users.save` (an administrator authenticated at the
  // server); the server mirrors them here. Anything a station pushes is refused and audited.
  engine.registerCollection('users', {
    validate: (_c, current, m, actor) => {
      if (actor.source === 'server') return;
      const target = String(current?.login ?? m.next?.login ?? '?').slice(0, 64);
      ctx.audit.record(actor, {
        action: 'sync.users.refused',
        target,
        newValue: Object.keys(m.fields).join(',').slice(0, 200) || (m.delete ? 'exclusão' : null),
        reason: 'alteração de usuários enviada pelo feed de sincronização',
      });
      return { code: 'FORBIDDEN', message: 'Usuários e perfis só mudam pela Administração, por um administrador autenticado no servidor.' };
    },
  });
}
