import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqlite } from '../../store/open';

/**
 * Durable contingency state of a workstation (or of the LAN server, which shares it with
 * every station): which UFs are in contingency since when and why, every document issued
 * or discarded because of it, and the audit trail of each step. Its own SQLite file
 * (synchronous=FULL like the fiscal store), so a crash between "EPEC registered" and
 * "written down" cannot lose a document that must still be transmitted.
 */

export type ContingencyKind = 'svc' | 'epec' | 'fsda' | 'pendente' | 'descarte';
export type ContingencyDocState = 'pending' | 'done' | 'failed';

export interface UfContingency {
  uf: string;
  model: 'nfe' | 'cte';
  since: string;
  reason: string;
  /** 'auto' when a failed exchange triggered it, 'manual' when an administrator did. */
  source: 'auto' | 'manual';
  actor: string;
}

export interface ContingencyDoc {
  chave: string;
  model: 'nfe' | 'cte';
  uf: string;
  cnpj: string;
  serie: number;
  nnf: number;
  kind: ContingencyKind;
  state: ContingencyDocState;
  /** The document this one replaces (108 rule) or re-keys. */
  origin_chave: string | null;
  /** The document that replaced this one (for a discarded one). */
  replaced_by: string | null;
  signed_xml: string | null;
  /** Last moment for the transmission (EPEC / FS-DA: 168 h after dhCont). */
  deadline: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  uf: string;
  chave: string | null;
  action: string;
  detail: string;
  actor: string;
}

const SCHEMA = `
create table if not exists uf_state(uf text not null, model text not null, since text not null, reason text not null, source text not null, actor text not null, primary key(uf, model));
create table if not exists documents(
  chave text primary key, model text not null, uf text not null, cnpj text not null, serie integer not null, nnf integer not null,
  kind text not null, state text not null, origin_chave text, replaced_by text, signed_xml text, deadline text, note text,
  created_at text not null, updated_at text not null);
create index if not exists documents_pending on documents(state, uf, model, deadline);
create index if not exists documents_number on documents(cnpj, model, serie, nnf);
create table if not exists audit(id integer primary key autoincrement, at text not null, uf text not null, chave text, action text not null, detail text not null, actor text not null);
create index if not exists audit_chave on audit(chave, id);
`;

export class ContingencyState {
  readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openSqlite(join(dataDir, 'contingencia.db'));
    this.db.exec(SCHEMA);
  }

  uf(uf: string, model: 'nfe' | 'cte'): UfContingency | undefined {
    return this.db.prepare('select * from uf_state where uf = ? and model = ?').get(uf, model) as UfContingency | undefined;
  }

  /** Enters contingency (idempotent: the first entry's time and reason stay). Returns whether it changed. */
  enter(s: UfContingency): boolean {
    return this.db.transaction(() => {
      if (this.uf(s.uf, s.model)) return false;
      this.db.prepare('insert into uf_state(uf, model, since, reason, source, actor) values (@uf, @model, @since, @reason, @source, @actor)').run(s);
      this.audit({ at: s.since, uf: s.uf, chave: null, action: 'entrada', detail: `${s.model === 'nfe' ? 'NF-e' : 'CT-e'}: ${s.reason}`, actor: s.actor });
      return true;
    })();
  }

  leave(uf: string, model: 'nfe' | 'cte', at: string, reason: string, actor: string): boolean {
    return this.db.transaction(() => {
      const r = this.db.prepare('delete from uf_state where uf = ? and model = ?').run(uf, model);
      if (r.changes > 0) this.audit({ at, uf, chave: null, action: 'saida', detail: `${model === 'nfe' ? 'NF-e' : 'CT-e'}: ${reason}`, actor });
      return r.changes > 0;
    })();
  }

  all(): UfContingency[] {
    return this.db.prepare('select * from uf_state order by uf, model').all() as UfContingency[];
  }

  upsertDoc(d: Omit<ContingencyDoc, 'created_at' | 'updated_at'> & { at: string }): void {
    const { at, ...row } = d;
    this.db
      .prepare(
        `insert into documents(chave, model, uf, cnpj, serie, nnf, kind, state, origin_chave, replaced_by, signed_xml, deadline, note, created_at, updated_at)
         values (@chave, @model, @uf, @cnpj, @serie, @nnf, @kind, @state, @origin_chave, @replaced_by, @signed_xml, @deadline, @note, @at, @at)
         on conflict(chave) do update set kind = excluded.kind, state = excluded.state, origin_chave = coalesce(excluded.origin_chave, origin_chave),
           replaced_by = coalesce(excluded.replaced_by, replaced_by), signed_xml = coalesce(excluded.signed_xml, signed_xml),
           deadline = coalesce(excluded.deadline, deadline), note = excluded.note, updated_at = excluded.updated_at`,
      )
      .run({ ...row, at });
  }

  setDocState(chave: string, state: ContingencyDocState, note: string, at: string): void {
    this.db.prepare('update documents set state = ?, note = ?, updated_at = ? where chave = ?').run(state, note, at, chave);
  }

  doc(chave: string): ContingencyDoc | undefined {
    return this.db.prepare('select * from documents where chave = ?').get(chave) as ContingencyDoc | undefined;
  }

  /** Documents still to transmit, cancel or inutilize, oldest deadline first (paged). */
  pending(filter: { uf?: string; model?: 'nfe' | 'cte'; limit?: number; offset?: number } = {}): ContingencyDoc[] {
    return this.db
      .prepare(
        `select * from documents where state = 'pending' and (@uf is null or uf = @uf) and (@model is null or model = @model)
         order by coalesce(deadline, '9999'), created_at limit @limit offset @offset`,
      )
      .all({ uf: filter.uf ?? null, model: filter.model ?? null, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as ContingencyDoc[];
  }

  /** Highest number this station used in contingency for a series (the 108 rule takes the next). */
  maxNumber(cnpj: string, model: 'nfe' | 'cte', serie: number): number {
    const r = this.db.prepare('select max(nnf) n from documents where cnpj = ? and model = ? and serie = ?').get(cnpj, model, serie) as { n: number | null };
    return r.n ?? 0;
  }

  audit(e: Omit<AuditEntry, 'id'>): void {
    this.db.prepare('insert into audit(at, uf, chave, action, detail, actor) values (@at, @uf, @chave, @action, @detail, @actor)').run(e);
  }

  auditOf(chave: string): AuditEntry[] {
    return this.db.prepare('select * from audit where chave = ? order by id').all(chave) as AuditEntry[];
  }

  recentAudit(limit = 100): AuditEntry[] {
    return this.db.prepare('select * from audit order by id desc limit ?').all(limit) as AuditEntry[];
  }

  close(): void {
    this.db.close();
  }
}
