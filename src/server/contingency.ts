import type Database from 'better-sqlite3';
import type { Actor } from '../core/numbering/protocol';
import type { ContingencyOption } from '../core/sefaz/contingency/engine';
import { contingencySchemas, defaultPriority, type DocKind, type PriorityDto, type UfContingencyDto } from '../core/sefaz/contingency/lan';
import type { AuditLog } from './audit';
import type { HandlerMap, ServerContext } from './context';
import { requireCapability } from './context';

/**
 * The office's contingency board: per UF and model, whether documents go to the normal
 * authorizer or to contingency, and each establishment's priority order. Any station that
 * fails to get an answer from a UF's authorizer reports it here and every station of the
 * office follows (pushed as `contingency.changed`); a station's status poll that finds the
 * authorizer answering 107 ends an automatic entry; an administrator enters or leaves by
 * hand with a justification. Every change is audited in the same transaction.
 */
export function ensureContingencySchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS contingency_uf (
      uf TEXT NOT NULL,
      model TEXT NOT NULL,
      active INTEGER NOT NULL,
      since TEXT NOT NULL,
      reason TEXT NOT NULL,
      source TEXT NOT NULL,
      user TEXT NOT NULL,
      workstation TEXT NOT NULL,
      ended_at TEXT,
      end_reason TEXT,
      ended_by TEXT,
      PRIMARY KEY (uf, model)
    );
    CREATE TABLE IF NOT EXISTS contingency_priority (
      cnpj TEXT NOT NULL,
      model TEXT NOT NULL,
      options TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      PRIMARY KEY (cnpj, model)
    );
  `);
}

interface UfRow {
  uf: string;
  model: DocKind;
  active: number;
  since: string;
  reason: string;
  source: 'auto' | 'manual';
  user: string;
  workstation: string;
  ended_at: string | null;
  end_reason: string | null;
  ended_by: string | null;
}

const dto = (r: UfRow): UfContingencyDto => ({
  uf: r.uf,
  model: r.model,
  active: r.active === 1,
  since: r.since,
  reason: r.reason,
  source: r.source,
  user: r.user,
  workstation: r.workstation,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  endedBy: r.ended_by,
});

const what = (m: DocKind) => (m === 'nfe' ? 'NF-e' : 'CT-e');

export class ContingencyBoard {
  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly nowIso: () => string,
  ) {
    ensureContingencySchema(db);
  }

  /** At most 27 UFs × 2 models: the whole table is one small read. */
  list(): UfContingencyDto[] {
    return (this.db.prepare('SELECT * FROM contingency_uf ORDER BY uf, model').all() as UfRow[]).map(dto);
  }

  get(uf: string, model: DocKind): UfContingencyDto | null {
    const r = this.db.prepare('SELECT * FROM contingency_uf WHERE uf = ? AND model = ?').get(uf, model) as UfRow | undefined;
    return r ? dto(r) : null;
  }

  /** Enters (idempotent: an active entry keeps its time and reason; a manual one is never downgraded). */
  enter(p: { uf: string; model: DocKind; reason: string; source: 'auto' | 'manual' }, actor: Actor): { entered: boolean; state: UfContingencyDto } {
    return this.db.transaction(() => {
      const cur = this.get(p.uf, p.model);
      if (cur?.active && (cur.source === 'manual' || p.source === 'auto')) return { entered: false, state: cur };
      const at = this.nowIso();
      this.db
        .prepare(
          `INSERT INTO contingency_uf (uf, model, active, since, reason, source, user, workstation, ended_at, end_reason, ended_by)
           VALUES (@uf, @model, 1, @since, @reason, @source, @user, @workstation, NULL, NULL, NULL)
           ON CONFLICT (uf, model) DO UPDATE SET active = 1, since = CASE WHEN contingency_uf.active = 1 THEN contingency_uf.since ELSE excluded.since END,
             reason = excluded.reason, source = excluded.source, user = excluded.user, workstation = excluded.workstation, ended_at = NULL, end_reason = NULL, ended_by = NULL`,
        )
        .run({ uf: p.uf, model: p.model, since: at, reason: p.reason, source: p.source, user: actor.user, workstation: actor.workstation });
      this.audit.record(actor, {
        action: p.source === 'manual' ? 'contingency.enter.manual' : 'contingency.enter',
        target: `${what(p.model)} ${p.uf}`,
        oldValue: cur?.active ? `contingência (${cur.source})` : 'normal',
        newValue: `contingência (${p.source})`,
        reason: p.reason,
      });
      return { entered: true, state: this.get(p.uf, p.model)! };
    })();
  }

  /** Leaves. `manual` = an administrator; an automatic return (status 107) does not end a manual entry. */
  leave(p: { uf: string; model: DocKind; reason: string; manual: boolean }, actor: Actor): { left: boolean; state: UfContingencyDto | null } {
    return this.db.transaction(() => {
      const cur = this.get(p.uf, p.model);
      if (!cur?.active) return { left: false, state: cur };
      if (cur.source === 'manual' && !p.manual) return { left: false, state: cur };
      this.db
        .prepare('UPDATE contingency_uf SET active = 0, ended_at = ?, end_reason = ?, ended_by = ? WHERE uf = ? AND model = ?')
        .run(this.nowIso(), p.reason, `${actor.user}@${actor.workstation}`, p.uf, p.model);
      this.audit.record(actor, {
        action: p.manual ? 'contingency.leave.manual' : 'contingency.leave',
        target: `${what(p.model)} ${p.uf}`,
        oldValue: `contingência (${cur.source}) desde ${cur.since}`,
        newValue: 'normal',
        reason: p.reason,
      });
      return { left: true, state: this.get(p.uf, p.model) };
    })();
  }

  priority(cnpj: string): PriorityDto {
    const rows = this.db.prepare('SELECT * FROM contingency_priority WHERE cnpj = ?').all(cnpj) as { model: DocKind; options: string; updated_at: string; updated_by: string }[];
    const out = defaultPriority(cnpj);
    for (const r of rows) {
      out[r.model] = JSON.parse(r.options) as ContingencyOption[];
      out.configured = true;
      if (!out.updatedAt || r.updated_at > out.updatedAt) {
        out.updatedAt = r.updated_at;
        out.updatedBy = r.updated_by;
      }
    }
    return out;
  }

  setPriority(p: { cnpj: string; model: DocKind; options: ContingencyOption[] }, actor: Actor): PriorityDto {
    return this.db.transaction(() => {
      const old = this.priority(p.cnpj)[p.model];
      this.db
        .prepare(
          `INSERT INTO contingency_priority (cnpj, model, options, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (cnpj, model) DO UPDATE SET options = excluded.options, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        )
        .run(p.cnpj, p.model, JSON.stringify(p.options), this.nowIso(), actor.user);
      this.audit.record(actor, { action: 'contingency.priority', target: `${what(p.model)} CNPJ ${p.cnpj}`, oldValue: old.join(' → '), newValue: p.options.join(' → ') });
      return this.priority(p.cnpj);
    })();
  }
}

/** The board's messages; each input goes through its schema (core/sefaz/contingency/lan.ts) first. */
export function contingencyHandlers(board: ContingencyBoard): HandlerMap {
  const changed = (ctx: ServerContext) => ctx.broadcast('contingency.changed', { states: board.list() });
  return {
    'contingency.list': (data) => {
      contingencySchemas['contingency.list'](data);
      return board.list();
    },
    // Any enrolled station: the one whose exchange with the UF failed (even with no user signed in).
    'contingency.report': async (data, session, ctx) => {
      const p = contingencySchemas['contingency.report'](data);
      const r = await ctx.committer.submit(() => board.enter({ ...p, source: 'auto' }, session.actor));
      if (r.entered) changed(ctx);
      return r;
    },
    'contingency.normal': async (data, session, ctx) => {
      const p = contingencySchemas['contingency.normal'](data);
      const r = await ctx.committer.submit(() => board.leave({ uf: p.uf, model: p.model, reason: `Consulta de status: ${p.cStat} ${p.xMotivo}`, manual: false }, session.actor));
      if (r.left) changed(ctx);
      return r;
    },
    'contingency.enter': async (data, session, ctx) => {
      requireCapability(session, 'admin');
      const p = contingencySchemas['contingency.enter'](data);
      const r = await ctx.committer.submit(() => board.enter({ uf: p.uf, model: p.model, reason: p.xJust, source: 'manual' }, session.actor));
      if (r.entered) changed(ctx);
      return r.state;
    },
    'contingency.leave': async (data, session, ctx) => {
      requireCapability(session, 'admin');
      const p = contingencySchemas['contingency.leave'](data);
      const r = await ctx.committer.submit(() => board.leave({ uf: p.uf, model: p.model, reason: p.xJust, manual: true }, session.actor));
      if (r.left) changed(ctx);
      return r;
    },
    'contingency.priority.get': (data) => board.priority(contingencySchemas['contingency.priority.get'](data).cnpj),
    'contingency.priority.set': async (data, session, ctx) => {
      requireCapability(session, 'admin');
      const p = contingencySchemas['contingency.priority.set'](data);
      const r = await ctx.committer.submit(() => board.setPriority(p, session.actor));
      ctx.broadcast('contingency.priority', { cnpj: r.cnpj });
      return r;
    },
  };
}
