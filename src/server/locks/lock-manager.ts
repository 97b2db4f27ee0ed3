import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors';
import { ownerKeyHash } from '../../core/numbering/owner-key';
import type { Role } from '../../shared/api/session';
import { hasRole } from '../auth/permissions';
import type { Clock } from '../../core/clock';
import { NumberingErrors, type Actor, type LockHolder, type LockPurpose, type LockResult, type PushEvents } from '../../core/numbering/protocol';
import type { AuditLog } from '../audit';
import type { GroupCommitter } from '../group-commit';

interface Lease {
  orderId: string;
  purpose: LockPurpose;
  token: string;
  requestId: string | null;
  actor: Actor;
  since: string;
  /** Connection holding the lease; null while its holder is away (grace period). */
  connId: number | null;
  disconnectedAtMs: number | null;
  timer: NodeJS.Timeout | null;
  /** Set when a restarted station reclaimed the lease: its station-level connection acts for the holder. */
  reclaimed: boolean;
}

interface LockRow {
  order_id: string;
  purpose: LockPurpose;
  token: string | number;
  request_id: string | null;
  user: string;
  workstation: string;
  ip: string;
  since: string;
}

export type Released = PushEvents['lock.released'];

/**
 * Order locks ("não permitir que um mesmo pedido seja faturado ao mesmo tempo").
 *
 * Decisions are taken in memory — one JS thread, so check-and-grant is atomic — and the
 * lease is written through the group committer before the reply, so a restarted server
 * still knows who held what. Fencing tokens are 128 random bits (never guessable, never
 * reused) and bound to their holder: the same user on the same enrolled station. A lease is
 * bound to its connection; when the connection drops, the holder keeps it for `graceMs` (a
 * Wi-Fi blip) and can resume it with its token. Grace is measured on the monotonic clock.
 */
export class LockManager {
  private readonly leases = new Map<string, Lease>();
  private readonly insert: Database.Statement;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly rebind: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly committer: GroupCommitter,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly nowIso: () => string,
    private readonly graceMs: number,
    private readonly onReleased: (ev: Released) => void,
  ) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO locks (order_id, purpose, token, request_id, user, workstation, ip, since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.remove = db.prepare('DELETE FROM locks WHERE order_id = ? AND token = ?');
    this.rebind = db.prepare('UPDATE locks SET ip = ? WHERE order_id = ? AND token = ?');
    const rows = db.prepare('SELECT * FROM locks').all() as LockRow[];
    // After a restart every holder is "away": it gets the grace period to come back.
    for (const r of rows) {
      const lease: Lease = {
        orderId: r.order_id,
        purpose: r.purpose,
        token: String(r.token),
        requestId: r.request_id,
        actor: { user: r.user, workstation: r.workstation, ip: r.ip },
        since: r.since,
        connId: null,
        disconnectedAtMs: null,
        timer: null,
        reclaimed: false,
      };
      this.leases.set(r.order_id, lease);
      this.startGrace(lease);
    }
  }

  async acquire(orderId: string, purpose: LockPurpose, requestId: string | null, connId: number, actor: Actor): Promise<LockResult> {
    const current = this.live(orderId);
    if (current) {
      const sameRequest = requestId !== null && current.requestId === requestId && sameHolder(current.actor, actor);
      if (current.connId === connId || sameRequest) {
        this.bind(current, connId, actor);
        return this.grant(current);
      }
      return { granted: false, holder: holderOf(current) };
    }
    const lease: Lease = {
      orderId,
      purpose,
      // 'lk_' keeps SQLite from ever reading the token as a number (INTEGER column affinity).
      token: `lk_${randomBytes(16).toString('base64url')}`,
      requestId,
      actor,
      since: this.nowIso(),
      connId,
      disconnectedAtMs: null,
      timer: null,
      reclaimed: false,
    };
    this.leases.set(orderId, lease);
    try {
      await this.committer.submit(() => {
        this.insert.run(orderId, purpose, lease.token, requestId, actor.user, actor.workstation, actor.ip, lease.since);
      });
    } catch (err) {
      if (this.leases.get(orderId) === lease) this.leases.delete(orderId);
      throw err;
    }
    return this.grant(lease);
  }

  /** Re-attaches a lease to a new connection after a reconnect (lease renewal). */
  async resume(orderId: string, token: string, connId: number, actor: Actor): Promise<LockResult> {
    const current = this.live(orderId);
    if (current && current.token === token) this.verifyHolder(current, actor, 'locks.resume');
    if (current && current.token === token) {
      const ipChanged = current.actor.ip !== actor.ip;
      this.bind(current, connId, actor);
      if (ipChanged) await this.committer.submit(() => this.rebind.run(actor.ip, orderId, token));
      return this.grant(current);
    }
    if (current && current.token !== token) return { granted: false, holder: holderOf(current) };
    throw new AppError(NumberingErrors.LOCK_NOT_HELD, `A trava do pedido ${orderId} já foi liberada. Trave o pedido de novo.`);
  }

  async release(orderId: string, token: string, connId: number, actor: Actor): Promise<void> {
    const current = this.live(orderId);
    if (!current || current.token !== token) {
      if (current) this.refused(actor, 'locks.release', orderId, 'token diferente do da trava');
      throw new AppError(NumberingErrors.LOCK_NOT_HELD, `Esta estação não tem a trava do pedido ${orderId} (já liberada ou de outra estação).`);
    }
    const agent = current.reclaimed && current.connId === connId && current.actor.workstation === actor.workstation;
    if (!agent) this.verifyHolder(current, actor, 'locks.release');
    await this.drop(current, 'unlock', agent ? current.actor : actor);
  }

  /**
   * A restarted station takes back the lease its dead process held. The station is
   * authenticated (its credential, at hello); the owner key — whose hash the lock request
   * carried as its request id, and which only the holder's station has — proves it is the
   * holder's process. The lease keeps its holder (the person), now bound to this connection.
   */
  async reclaim(orderId: string, ownerKey: string, connId: number, actor: Actor): Promise<LockResult> {
    const current = this.live(orderId);
    if (!current) throw new AppError(NumberingErrors.LOCK_NOT_HELD, `A trava do pedido ${orderId} já foi liberada. Trave o pedido de novo.`);
    if (current.actor.workstation !== actor.workstation || current.requestId !== ownerKeyHash(ownerKey)) {
      this.refused(actor, 'locks.reclaim', orderId, `trava de ${current.actor.user}@${current.actor.workstation}`);
      return { granted: false, holder: holderOf(current) };
    }
    const ipChanged = current.actor.ip !== actor.ip;
    this.bind(current, connId, actor);
    current.reclaimed = true;
    await this.committer.submit(() => {
      if (ipChanged) this.rebind.run(actor.ip, orderId, current.token);
      this.audit.record(current.actor, { action: 'lock.reclaim', target: `pedido ${orderId} (${current.purpose})`, reason: 'estação reiniciada retomou a trava do seu faturamento' });
    });
    return this.grant(current);
  }

  /**
   * The holder a station-level connection acts for: only for a lease it reclaimed, bound to
   * this connection, with this token, whose holder still has the billing role right now.
   */
  reclaimedHolder(orderId: string, token: string | null, connId: number, users: { rolesOf(login: string): readonly Role[] }, action: string): Actor {
    const current = this.live(orderId);
    if (!current || token === null || current.token !== token || !current.reclaimed || current.connId !== connId) {
      throw new AppError('UNAUTHENTICATED', 'Esta operação precisa de um usuário autenticado no servidor: entre com seu usuário e senha.');
    }
    if (!hasRole(users.rolesOf(current.actor.user), ['faturista'])) {
      this.refused(current.actor, `${action}.reclaimed`, orderId, `${current.actor.user} não tem mais o papel de faturista`);
      throw new AppError('FORBIDDEN', `O usuário ${current.actor.user} não tem mais permissão para faturar.`);
    }
    return current.actor;
  }

  /**
   * Before an allocation with a lock token (outside its transaction, so the refusal is
   * audited): the token must be the order's current one and its holder the caller.
   */
  verifyFence(orderId: string, token: string, actor: Actor): void {
    const current = this.live(orderId);
    if (current && current.token === token) this.verifyHolder(current, actor, 'numbers.allocate');
  }

  async adminRelease(orderId: string, reason: string, actor: Actor): Promise<LockHolder | null> {
    const current = this.live(orderId);
    if (!current) return null;
    const holder = holderOf(current);
    await this.drop(current, 'admin', actor, () =>
      this.audit.record(actor, {
        action: 'lock.adminRelease',
        target: `pedido ${orderId} (${current.purpose})`,
        oldValue: `${holder.user}@${holder.workstation} ${holder.ip} desde ${holder.since}`,
        reason,
      }),
    );
    return holder;
  }

  /**
   * Fencing check for allocation: a token that is not the order's current one is refused,
   * and an order locked by someone else cannot be numbered without its token.
   */
  checkFence(orderId: string, token: string | null | undefined): void {
    const current = this.live(orderId);
    if (token !== null && token !== undefined) {
      if (!current || current.token !== token) {
        throw new AppError(
          NumberingErrors.STALE_LOCK_TOKEN,
          `A trava do pedido ${orderId} usada nesta estação não vale mais (expirou ou foi liberada). Trave o pedido de novo antes de finalizar.`,
        );
      }
      return;
    }
    if (current) {
      const h = holderOf(current);
      throw new AppError(NumberingErrors.LOCK_HELD, holderMessage(h), { details: { holder: h as unknown as Record<string, string> } });
    }
  }

  connectionClosed(connId: number): void {
    for (const lease of this.leases.values()) {
      if (lease.connId === connId) {
        lease.connId = null;
        this.startGrace(lease);
      }
    }
  }

  list(): LockHolder[] {
    return [...this.leases.values()].filter((l) => this.live(l.orderId) === l).map(holderOf);
  }

  close(): void {
    for (const l of this.leases.values()) if (l.timer) clearTimeout(l.timer);
  }

  /** A token presented by someone who is not its holder: refused and audited. */
  private verifyHolder(lease: Lease, actor: Actor, action: string): void {
    if (sameHolder(lease.actor, actor)) return;
    this.refused(actor, action, lease.orderId, `trava de ${lease.actor.user}@${lease.actor.workstation}`);
    throw new AppError(NumberingErrors.LOCK_NOT_HELD, `A trava do pedido ${lease.orderId} pertence a ${lease.actor.user} na estação ${lease.actor.workstation}.`);
  }

  private refused(actor: Actor, action: string, orderId: string, reason: string): void {
    this.audit.record(actor, { action: `${action}.refused`, target: `pedido ${orderId}`, reason });
  }

  /** The lease if it is still valid; expires it on the spot when its grace is over. */
  private live(orderId: string): Lease | undefined {
    const l = this.leases.get(orderId);
    if (!l) return undefined;
    if (l.disconnectedAtMs !== null && this.clock.monotonicMs() - l.disconnectedAtMs >= this.graceMs) {
      this.leases.delete(orderId);
      // A failed delete only leaves a row that the next start treats as away again.
      this.persistDrop(l, 'grace-expired', null).catch(() => undefined);
      return undefined;
    }
    return l;
  }

  private bind(lease: Lease, connId: number, actor: Actor): void {
    // A holder back on its own connection no longer needs the station to act for it.
    if (lease.connId !== connId) lease.reclaimed = false;
    lease.connId = connId;
    lease.disconnectedAtMs = null;
    lease.actor = { ...lease.actor, ip: actor.ip };
    if (lease.timer) clearTimeout(lease.timer);
    lease.timer = null;
  }

  private startGrace(lease: Lease): void {
    lease.disconnectedAtMs = this.clock.monotonicMs();
    if (lease.timer) clearTimeout(lease.timer);
    lease.timer = setTimeout(() => this.live(lease.orderId), this.graceMs + 5);
    lease.timer.unref();
  }

  private async drop(lease: Lease, reason: Released['reason'], by: Actor | null, alsoInTx?: () => void): Promise<void> {
    if (lease.timer) clearTimeout(lease.timer);
    if (this.leases.get(lease.orderId) === lease) this.leases.delete(lease.orderId);
    await this.persistDrop(lease, reason, by, alsoInTx);
  }

  private async persistDrop(lease: Lease, reason: Released['reason'], by: Actor | null, alsoInTx?: () => void): Promise<void> {
    if (lease.timer) clearTimeout(lease.timer);
    try {
      await this.committer.submit(() => {
        this.remove.run(lease.orderId, lease.token);
        alsoInTx?.();
      });
    } finally {
      this.onReleased({ orderId: lease.orderId, purpose: lease.purpose, token: lease.token, reason, by });
    }
  }

  private grant(l: Lease): LockResult {
    return { granted: true, orderId: l.orderId, purpose: l.purpose, token: l.token, since: l.since };
  }
}

/** The holder is a person on a station, both verified by the server at hello. */
function sameHolder(a: Actor, b: Actor): boolean {
  return a.user === b.user && a.workstation === b.workstation;
}

function holderOf(l: Lease): LockHolder {
  return { orderId: l.orderId, purpose: l.purpose, since: l.since, disconnected: l.connId === null, ...l.actor };
}

export function holderMessage(h: LockHolder): string {
  const what = h.purpose === 'OC' ? 'uma OC' : 'a nota fiscal';
  return `O pedido ${h.orderId} está sendo faturado (${what}) em ${h.ip} por ${h.user} na estação ${h.workstation} desde ${h.since}.`;
}
