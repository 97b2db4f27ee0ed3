import type Database from 'better-sqlite3';
import type { Actor, AuditEntry } from '../core/numbering/protocol';

export interface AuditLine {
  action: string;
  target?: string | null;
  oldValue?: string | number | boolean | null;
  newValue?: string | number | boolean | null;
  reason?: string | null;
}

/** Append-only audit trail: who (user, workstation, IP), what, old → new, why. */
export class AuditLog {
  private readonly insert: Database.Statement;
  private readonly recent: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly nowIso: () => string,
  ) {
    this.insert = db.prepare(
      'INSERT INTO audit (at, user, workstation, ip, action, target, old_value, new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.recent = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?');
  }

  /** Call inside the transaction of the change it describes. */
  record(actor: Actor, line: AuditLine): void {
    const text = (v: AuditLine['oldValue']) => (v === undefined || v === null ? null : String(v));
    this.insert.run(this.nowIso(), actor.user, actor.workstation, actor.ip, line.action, line.target ?? null, text(line.oldValue), text(line.newValue), line.reason ?? null);
  }

  list(limit: number): AuditEntry[] {
    return (this.recent.all(limit) as AuditRow[]).map((r) => ({
      id: r.id,
      at: r.at,
      user: r.user,
      workstation: r.workstation,
      ip: r.ip,
      action: r.action,
      target: r.target,
      oldValue: r.old_value,
      newValue: r.new_value,
      reason: r.reason,
    }));
  }
}

interface AuditRow {
  id: number;
  at: string;
  user: string;
  workstation: string;
  ip: string;
  action: string;
  target: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
}
