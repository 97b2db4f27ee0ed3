import type Database from 'better-sqlite3';
import { AppError } from '../../core/errors';
import { NumberingErrors, seriesLabel, type NumberRecord, type NumberState, type SeriesInfo, type SeriesKey } from '../../core/numbering/protocol';
import { NUMBER_KEY_SPAN, numberKey } from '../db';
import { subtract, type Interval } from './intervals';

export interface SeriesRow {
  id: number;
  cnpj: string;
  model: 55 | 57;
  serie: number;
  emissao_propria: 0 | 1;
  active: 0 | 1;
  description: string | null;
  next_number: number;
  start_number: number;
  created_at: string;
  updated_at: string;
}

export interface NumberRow {
  /** numberKey(series_id, number): the row's primary key. */
  key?: number;
  series_id: number;
  number: number;
  state: NumberState;
  order_id: string | null;
  request_id: string | null;
  suggested: number | null;
  user: string;
  workstation: string;
  ip: string;
  allocated_at: string;
  day: string;
  state_at: string;
  detail: string | null;
  imported_above_next: 0 | 1 | null;
}

type NumberRowValues = [
  number,
  NumberRow['series_id'], NumberRow['number'], NumberRow['state'], NumberRow['order_id'], NumberRow['request_id'], NumberRow['suggested'],
  NumberRow['user'], NumberRow['workstation'], NumberRow['ip'], NumberRow['allocated_at'], NumberRow['day'], NumberRow['state_at'],
  NumberRow['detail'], NumberRow['imported_above_next'],
];

export interface SkippedRow {
  id: number;
  series_id: number;
  first: number;
  last: number;
  state: 'pending' | 'inutilizada';
  created_at: string;
  day: string;
  reason: string | null;
}

/** Prepared statements and row mapping shared by allocation, lifecycle and administration. */
export class NumberingStore {
  readonly seriesByKey: Database.Statement<[string, number, number], SeriesRow>;
  readonly seriesById: Database.Statement<[number], SeriesRow>;
  readonly seriesAll: Database.Statement<[], SeriesRow>;
  readonly seriesByCnpj: Database.Statement<[string], SeriesRow>;
  readonly setNext: Database.Statement<[number, string, number]>;
  private readonly numberAtStmt: Database.Statement<[number], NumberRow>;
  readonly byRequest: Database.Statement<[string], NumberRow>;
  readonly openForOrder: Database.Statement<[string], NumberRow>;
  private readonly insertStmt: Database.Statement<NumberRowValues>;
  /** Numbers of a series at or above `n`, ascending. */
  readonly numbersFrom: Database.Statement<[{ s: number; n: number }], { number: number }>;
  /** Numbers of a series in [a, b], ascending. */
  readonly numbersBetween: Database.Statement<[{ s: number; a: number; b: number }], NumberRow>;
  /** Some number of the series (not an imported one) dated day `d`; walks from the newest, where today's are. */
  readonly anyOnDay: Database.Statement<[{ s: number; d: string }], { found: 1 }>;
  readonly skippedOverlapping: Database.Statement<[number, number, number], SkippedRow>;
  readonly insertSkipped: Database.Statement;
  readonly deleteSkipped: Database.Statement<[number]>;
  private readonly updateStateStmt: Database.Statement<[string, string, string | null, number]>;
  private readonly seriesIds = new Map<string, number>();

  constructor(readonly db: Database.Database) {
    this.seriesByKey = db.prepare('SELECT * FROM series WHERE cnpj = ? AND model = ? AND serie = ?');
    this.seriesById = db.prepare('SELECT * FROM series WHERE id = ?');
    this.seriesAll = db.prepare('SELECT * FROM series ORDER BY cnpj, model, serie');
    this.seriesByCnpj = db.prepare('SELECT * FROM series WHERE cnpj = ? ORDER BY model, serie');
    this.setNext = db.prepare('UPDATE series SET next_number = ?, updated_at = ? WHERE id = ?');
    this.numberAtStmt = db.prepare('SELECT * FROM numbers WHERE key = ?');
    this.byRequest = db.prepare('SELECT * FROM numbers WHERE request_id = ?');
    this.openForOrder = db.prepare("SELECT * FROM numbers WHERE order_id = ? AND state IN ('allocated', 'transmitted')");
    this.insertStmt = db.prepare(
      `INSERT INTO numbers (key, series_id, number, state, order_id, request_id, suggested, user, workstation, ip, allocated_at, day, state_at, detail, imported_above_next)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const K = NUMBER_KEY_SPAN; // rows of series s: keys [s·K, (s+1)·K)
    this.numbersFrom = db.prepare(`SELECT number FROM numbers WHERE key >= @s * ${K} + @n AND key < (@s + 1) * ${K} ORDER BY key`);
    this.numbersBetween = db.prepare(`SELECT * FROM numbers WHERE key BETWEEN @s * ${K} + @a AND @s * ${K} + @b ORDER BY key`);
    this.anyOnDay = db.prepare(
      `SELECT 1 AS found FROM numbers WHERE key >= @s * ${K} AND key < (@s + 1) * ${K} AND day = @d AND state != 'imported' ORDER BY key DESC LIMIT 1`,
    );
    this.skippedOverlapping = db.prepare('SELECT * FROM skipped_ranges WHERE series_id = ? AND last >= ? AND first <= ? ORDER BY first');
    this.insertSkipped = db.prepare(
      'INSERT INTO skipped_ranges (series_id, first, last, state, created_at, day, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteSkipped = db.prepare('DELETE FROM skipped_ranges WHERE id = ?');
    this.updateStateStmt = db.prepare('UPDATE numbers SET state = ?, state_at = ?, detail = ? WHERE key = ?');
  }

  requireSeries(key: SeriesKey): SeriesRow {
    // A series' key never changes, so its id is remembered: a rowid lookup instead of the
    // unique index plus the table. The row read back is checked against the key, because a
    // rolled-back creation may leave a remembered id that a later series reuses.
    const k = `${key.cnpj}|${key.model}|${key.serie}`;
    const id = this.seriesIds.get(k);
    if (id !== undefined) {
      const row = this.seriesById.get(id);
      if (row && row.cnpj === key.cnpj && row.model === key.model && row.serie === key.serie) return row;
      this.seriesIds.delete(k);
    }
    const row = this.seriesByKey.get(key.cnpj, key.model, key.serie);
    if (!row) throw new AppError(NumberingErrors.SERIES_NOT_FOUND, `Série não cadastrada no servidor: ${seriesLabel(key)}.`);
    this.seriesIds.set(k, row.id);
    return row;
  }

  /** Positional binding: better-sqlite3 looks each named parameter up on the object. */
  insertNumber(r: NumberRow): void {
    this.insertStmt.run(
      numberKey(r.series_id, r.number), r.series_id, r.number, r.state, r.order_id, r.request_id, r.suggested, r.user, r.workstation, r.ip,
      r.allocated_at, r.day, r.state_at, r.detail, r.imported_above_next,
    );
  }

  numberAt(seriesId: number, number: number): NumberRow | undefined {
    return this.numberAtStmt.get(numberKey(seriesId, number));
  }

  updateState(state: string, at: string, detail: string | null, seriesId: number, number: number): void {
    this.updateStateStmt.run(state, at, detail, numberKey(seriesId, number));
  }

  /** The first number at or after `from` that nothing occupies (used to tell the admin where to move). */
  firstFreeFrom(seriesId: number, from: number): number {
    let expect = from;
    for (const { number } of this.numbersFrom.iterate({ s: seriesId, n: from })) {
      if (number !== expect) break;
      expect++;
    }
    return expect;
  }

  toInfo(row: SeriesRow): SeriesInfo {
    const taken = this.numberAt(row.id, row.next_number);
    return {
      cnpj: row.cnpj,
      model: row.model,
      serie: row.serie,
      emissaoPropria: row.emissao_propria === 1,
      active: row.active === 1,
      description: row.description,
      nextNumber: row.next_number,
      startNumber: row.start_number,
      blockedBy: taken ? row.next_number : null,
    };
  }

  /** Replaces skipped ranges overlapping [first, last] by their parts outside it. */
  cutSkipped(seriesId: number, cut: Interval, keep: (r: SkippedRow) => boolean = () => false): void {
    for (const r of this.skippedOverlapping.all(seriesId, cut[0], cut[1])) {
      if (keep(r)) continue;
      this.deleteSkipped.run(r.id);
      for (const [a, b] of subtract([r.first, r.last], cut)) {
        this.insertSkipped.run(seriesId, a, b, r.state, r.created_at, r.day, r.reason);
      }
    }
  }
}

export function toRecord(r: NumberRow): NumberRecord {
  return {
    number: r.number,
    state: r.state,
    orderId: r.order_id,
    requestId: r.request_id,
    suggested: r.suggested,
    user: r.user,
    workstation: r.workstation,
    ip: r.ip,
    allocatedAt: r.allocated_at,
    stateAt: r.state_at,
    detail: r.detail,
  };
}

export function keyOf(row: SeriesRow): SeriesKey {
  return { cnpj: row.cnpj, model: row.model, serie: row.serie };
}

/** Local calendar day (the fiscal day of the establishment the server runs in). */
export function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Inutilização deadline: the 10th of the month after the day the number was left behind. */
export function inutilizacaoDeadline(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  return `${ny}-${String(nm).padStart(2, '0')}-10`;
}
