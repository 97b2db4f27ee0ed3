import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { openSqlite } from '../core/store/open';

/**
 * What the simulator has decided, in its own SQLite, so a consulta tells the truth after
 * a restart exactly as SEFAZ would: authorized/denied/cancelled notes, receipts of async
 * lotes, registered events and inutilized ranges.
 */

export type NfeStatus = 'authorized' | 'denied' | 'cancelled';

export interface NfeRow {
  chave: string;
  tp_amb: string;
  cnpj: string;
  mod: string;
  serie: number;
  nnf: number;
  status: NfeStatus;
  c_stat: string;
  x_motivo: string;
  n_prot: string;
  dh_recbto: string;
  auth_ms: number;
  prot_xml: string;
}

export interface EventRow {
  chave: string;
  tp_evento: string;
  n_seq: number;
  n_prot: string;
  evento_xml: string;
  ret_xml: string;
  at_ms: number;
}

export interface EpecRow {
  chave: string;
  cnpj: string;
  mod: string;
  serie: number;
  nnf: number;
  evento_xml: string;
  at_ms: number;
  reconciled_ms: number | null;
}

export interface ReceiptRow {
  n_rec: string;
  ready_ms: number;
  prots: string;
  c_uf: string;
}

const SCHEMA = `
create table if not exists nfe(
  chave text primary key, tp_amb text not null, cnpj text not null, mod text not null, serie integer not null,
  nnf integer not null, status text not null, c_stat text not null, x_motivo text not null, n_prot text not null,
  dh_recbto text not null, auth_ms integer not null, prot_xml text not null, nfe_xml text not null);
create unique index if not exists nfe_number on nfe(tp_amb, cnpj, mod, serie, nnf);
create table if not exists receipts(n_rec text primary key, ready_ms integer not null, prots text not null, c_uf text not null);
create table if not exists events(
  chave text not null, tp_evento text not null, n_seq integer not null, n_prot text not null,
  evento_xml text not null, ret_xml text not null, at_ms integer not null, primary key(chave, tp_evento, n_seq));
create table if not exists inut(
  id integer primary key, tp_amb text not null, cnpj text not null, mod text not null, serie integer not null,
  ini integer not null, fin integer not null, n_prot text not null);
create table if not exists counters(name text primary key, value integer not null);
create table if not exists epec(
  chave text primary key, cnpj text not null, mod text not null, serie integer not null, nnf integer not null,
  evento_xml text not null, at_ms integer not null, reconciled_ms integer);
create index if not exists epec_open on epec(cnpj, reconciled_ms, at_ms);
create table if not exists replies(service text not null, c_stat text not null, n integer not null, primary key(service, c_stat));
`;

export class SimulatorStore {
  readonly db: Database.Database;

  constructor(dataDir: string) {
    this.db = openSqlite(join(dataDir, 'sefaz-sim.db'));
    this.db.exec(SCHEMA);
  }

  /** Next value of a named sequence (protocols, receipts), durable before it is used. */
  next(name: string): number {
    const row = this.db
      .prepare('insert into counters(name, value) values (?, 1) on conflict(name) do update set value = value + 1 returning value')
      .get(name) as { value: number };
    return row.value;
  }

  nfe(chave: string): NfeRow | undefined {
    return this.db.prepare('select * from nfe where chave = ?').get(chave) as NfeRow | undefined;
  }

  nfeByNumber(tpAmb: string, cnpj: string, mod: string, serie: number, nnf: number): NfeRow | undefined {
    return this.db.prepare('select * from nfe where tp_amb = ? and cnpj = ? and mod = ? and serie = ? and nnf = ?').get(tpAmb, cnpj, mod, serie, nnf) as
      | NfeRow
      | undefined;
  }

  nfeInRange(tpAmb: string, cnpj: string, mod: string, serie: number, ini: number, fin: number): NfeRow | undefined {
    return this.db
      .prepare('select * from nfe where tp_amb = ? and cnpj = ? and mod = ? and serie = ? and nnf between ? and ? limit 1')
      .get(tpAmb, cnpj, mod, serie, ini, fin) as NfeRow | undefined;
  }

  insertNfe(row: NfeRow & { nfe_xml: string }): void {
    this.db
      .prepare(
        `insert into nfe(chave, tp_amb, cnpj, mod, serie, nnf, status, c_stat, x_motivo, n_prot, dh_recbto, auth_ms, prot_xml, nfe_xml)
         values (@chave, @tp_amb, @cnpj, @mod, @serie, @nnf, @status, @c_stat, @x_motivo, @n_prot, @dh_recbto, @auth_ms, @prot_xml, @nfe_xml)`,
      )
      .run(row);
  }

  setStatus(chave: string, status: NfeStatus): void {
    this.db.prepare('update nfe set status = ? where chave = ?').run(status, chave);
  }

  inutilizada(tpAmb: string, cnpj: string, mod: string, serie: number, ini: number, fin = ini): boolean {
    return !!this.db
      .prepare('select 1 from inut where tp_amb = ? and cnpj = ? and mod = ? and serie = ? and ini <= ? and fin >= ? limit 1')
      .get(tpAmb, cnpj, mod, serie, fin, ini);
  }

  insertInut(r: { tp_amb: string; cnpj: string; mod: string; serie: number; ini: number; fin: number; n_prot: string }): void {
    this.db.prepare('insert into inut(tp_amb, cnpj, mod, serie, ini, fin, n_prot) values (@tp_amb, @cnpj, @mod, @serie, @ini, @fin, @n_prot)').run(r);
  }

  events(chave: string): EventRow[] {
    return this.db.prepare('select * from events where chave = ? order by at_ms, tp_evento, n_seq').all(chave) as EventRow[];
  }

  insertEvent(r: EventRow): void {
    this.db
      .prepare('insert into events(chave, tp_evento, n_seq, n_prot, evento_xml, ret_xml, at_ms) values (@chave, @tp_evento, @n_seq, @n_prot, @evento_xml, @ret_xml, @at_ms)')
      .run(r);
  }

  insertReceipt(r: ReceiptRow): void {
    this.db.prepare('insert into receipts(n_rec, ready_ms, prots, c_uf) values (@n_rec, @ready_ms, @prots, @c_uf)').run(r);
  }

  receipt(nRec: string): ReceiptRow | undefined {
    return this.db.prepare('select * from receipts where n_rec = ?').get(nRec) as ReceiptRow | undefined;
  }

  /** A registered EPEC (136), waiting for its document to be authorized by the UF. */
  insertEpec(r: { chave: string; cnpj: string; mod: string; serie: number; nnf: number; evento_xml: string; at_ms: number }): void {
    this.db.prepare('insert into epec(chave, cnpj, mod, serie, nnf, evento_xml, at_ms) values (@chave, @cnpj, @mod, @serie, @nnf, @evento_xml, @at_ms)').run(r);
  }

  epec(chave: string): EpecRow | undefined {
    return this.db.prepare('select * from epec where chave = ?').get(chave) as EpecRow | undefined;
  }

  reconcileEpec(chave: string, atMs: number): void {
    this.db.prepare('update epec set reconciled_ms = ? where chave = ? and reconciled_ms is null').run(atMs, chave);
  }

  /** The oldest EPEC of an emitente (CNPJ base) still without its authorized document, registered before `beforeMs`. */
  overdueEpec(cnpjBase: string, mod: string, beforeMs: number): EpecRow | undefined {
    return this.db
      .prepare("select * from epec where substr(cnpj, 1, 8) = ? and mod = ? and reconciled_ms is null and at_ms < ? order by at_ms limit 1")
      .get(cnpjBase, mod, beforeMs) as EpecRow | undefined;
  }

  countReply(service: string, cStat: string): void {
    this.db.prepare('insert into replies(service, c_stat, n) values (?, ?, 1) on conflict(service, c_stat) do update set n = n + 1').run(service, cStat);
  }

  replyCounts(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const r of this.db.prepare('select service, c_stat, n from replies').all() as { service: string; c_stat: string; n: number }[]) {
      (out[r.service] ??= {})[r.c_stat] = r.n;
    }
    return out;
  }

  summary(): { authorized: number; denied: number; cancelled: number; events: number; inutilizacoes: number; epecPending: number } {
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      authorized: count("select count(*) n from nfe where status = 'authorized'"),
      denied: count("select count(*) n from nfe where status = 'denied'"),
      cancelled: count("select count(*) n from nfe where status = 'cancelled'"),
      events: count('select count(*) n from events'),
      inutilizacoes: count('select count(*) n from inut'),
      epecPending: count('select count(*) n from epec where reconciled_ms is null'),
    };
  }

  close(): void {
    this.db.close();
  }
}
