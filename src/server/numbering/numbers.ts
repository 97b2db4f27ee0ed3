import { AppError, invalidInput } from '../../core/errors';
import {
  MAX_NUMBER,
  NumberingErrors,
  TRANSITIONS,
  sameSeries,
  seriesLabel,
  type Actor,
  type AllocateParams,
  type AllocateResult,
  type GapItem,
  type GapReport,
  type ImportValidateParams,
  type ImportValidateResult,
  type InutilizeParams,
  type InutilizeResult,
  type NumberRecord,
  type SeriesKey,
  type UpdateStateParams,
} from '../../core/numbering/protocol';
import type { AuditLog } from '../audit';
import { runs, uncovered, type Interval } from './intervals';
import { inutilizacaoDeadline, keyOf, localDay, toRecord, type NumberRow, type NumberingStore, type SeriesRow } from './store';

export interface Stamp {
  iso: string;
  day: string;
}

/**
 * Allocation, lifecycle, import validation and gap report. Every write method is meant to
 * run inside a group-commit transaction (the caller submits it); reads run directly.
 */
export class NumberService {
  constructor(
    private readonly store: NumberingStore,
    private readonly audit: AuditLog,
    private readonly stamp: () => Stamp,
  ) {}

  /**
   * Gives the next free number of the series. Sequential by construction: the number is
   * `next_number`, written in the same transaction that advances it, so two requests can
   * never get the same one and nothing is skipped.
   */
  allocate(p: AllocateParams, actor: Actor, checkLock: (orderId: string, token: string | null | undefined) => void): AllocateResult {
    const s = this.store;
    const replay = s.byRequest.get(p.requestId);
    if (replay) {
      const row = s.seriesById.get(replay.series_id)!;
      if (!sameSeries(keyOf(row), p.series) || replay.order_id !== p.orderId) {
        throw new AppError(NumberingErrors.REQUEST_ID_REUSED, 'Este identificador de pedido de número já foi usado para outra série ou outro pedido.');
      }
      return this.result(row, replay, p.suggested ?? null, true);
    }
    const series = s.requireSeries(p.series);
    if (!series.active) throw new AppError(NumberingErrors.SERIES_INACTIVE, `A ${seriesLabel(p.series)} está inativa.`);
    if (!series.emissao_propria) {
      throw new AppError(NumberingErrors.SERIES_NOT_OWN, `A ${seriesLabel(p.series)} não é de emissão própria: o número vem da nota do emitente.`);
    }
    checkLock(p.orderId, p.lockToken);

    for (const open of s.openForOrder.all(p.orderId)) {
      const openSeries = s.seriesById.get(open.series_id)!;
      if (openSeries.id === series.id) return this.result(series, open, p.suggested ?? null, true);
      if (openSeries.cnpj === series.cnpj && openSeries.model === series.model) {
        throw new AppError(
          NumberingErrors.ORDER_HAS_OPEN_ALLOCATION,
          `O pedido ${p.orderId} já tem o número ${open.number} em aberto na ${seriesLabel(keyOf(openSeries))}. Conclua ou abandone esse número antes de usar outra série.`,
          { details: { number: open.number, series: { ...keyOf(openSeries) } } },
        );
      }
    }

    const n = series.next_number;
    if (n > MAX_NUMBER) {
      throw new AppError(NumberingErrors.SERIES_EXHAUSTED, `A ${seriesLabel(p.series)} chegou ao número máximo (${MAX_NUMBER}). Cadastre uma nova série.`);
    }
    if (s.numberAt(series.id, n)) throw this.blocked(series, n);

    const row = this.newRow(series.id, n, 'allocated', actor, { order_id: p.orderId, request_id: p.requestId, suggested: p.suggested ?? null });
    s.insertNumber(row);
    s.setNext.run(n + 1, row.allocated_at, series.id);
    return this.result(series, row, p.suggested ?? null, false);
  }

  private newRow(seriesId: number, number: number, state: NumberRow['state'], actor: Actor, extra: Partial<NumberRow>): NumberRow {
    const { iso, day } = this.stamp();
    return {
      series_id: seriesId,
      number,
      state,
      order_id: null,
      request_id: null,
      suggested: null,
      user: actor.user,
      workstation: actor.workstation,
      ip: actor.ip,
      allocated_at: iso,
      day,
      state_at: iso,
      detail: null,
      imported_above_next: null,
      ...extra,
    };
  }

  private result(series: SeriesRow, row: NumberRow, suggested: number | null, replayed: boolean): AllocateResult {
    return {
      series: keyOf(series),
      number: row.number,
      orderId: row.order_id ?? '',
      suggested,
      differsFromSuggested: suggested !== null && suggested !== row.number,
      replayed,
      allocatedAt: row.allocated_at,
    };
  }

  private blocked(series: SeriesRow, n: number): AppError {
    const free = this.store.firstFreeFrom(series.id, n);
    return new AppError(
      NumberingErrors.SERIES_BLOCKED,
      `A ${seriesLabel(keyOf(series))} está bloqueada: o número ${n} já existe nesta série (nota importada). ` +
        `Nenhuma nota pode ser emitida nela até o administrador alterar o próximo número (primeiro livre: ${free}).`,
      { details: { blockedBy: n, firstFree: free } },
    );
  }

  /** Lifecycle reported by workstations; repeating the current state is a no-op (safe retry). */
  updateState(p: Omit<UpdateStateParams, 'procInutNFe'>, actor: Actor): NumberRecord {
    const s = this.store;
    const series = s.requireSeries(p.series);
    const row = s.numberAt(series.id, p.number);
    if (!row) throw new AppError(NumberingErrors.NUMBER_NOT_FOUND, `O número ${p.number} não foi dado pelo servidor na ${seriesLabel(p.series)}.`);
    if (row.state === p.state) return toRecord(row);
    if (p.state === 'inutilizada') {
      this.inutilize({ series: p.series, first: p.number, last: p.number, detail: p.detail ?? null }, actor);
      return toRecord(s.numberAt(series.id, p.number)!);
    }
    if (!TRANSITIONS[row.state].includes(p.state)) {
      throw new AppError(NumberingErrors.INVALID_TRANSITION, `O número ${p.number} está "${row.state}" e não pode passar para "${p.state}".`, {
        details: { from: row.state, to: p.state },
      });
    }
    const { iso } = this.stamp();
    const detail = p.detail ?? row.detail;
    s.updateState(p.state, iso, detail, series.id, p.number);
    this.audit.record(actor, { action: 'number.state', target: `${seriesLabel(p.series)} nº ${p.number}`, oldValue: row.state, newValue: p.state, reason: p.detail ?? null });
    return toRecord(s.numberAt(series.id, p.number)!);
  }

  /**
   * Marks [first, last] inutilizada. Every number in it must be abandoned, already
   * inutilizada, or inside a range the administrator skipped — an allocated, transmitted or
   * authorized number can never be inutilizado.
   */
  inutilize(p: Omit<InutilizeParams, 'procInutNFe'>, actor: Actor): InutilizeResult {
    const s = this.store;
    if (p.last < p.first) throw invalidInput('O número final deve ser maior ou igual ao inicial.', 'last');
    const series = s.requireSeries(p.series);
    const recorded = s.numbersBetween.all({ s: series.id, a: p.first, b: p.last });
    for (const r of recorded) {
      if (r.state !== 'abandoned' && r.state !== 'inutilizada') {
        throw new AppError(NumberingErrors.INVALID_TRANSITION, `O número ${r.number} está "${r.state}" e não pode ser inutilizado.`, { details: { number: r.number, state: r.state } });
      }
    }
    const skipped = s.skippedOverlapping.all(series.id, p.first, p.last);
    const covered: Interval[] = [...recorded.map((r): Interval => [r.number, r.number]), ...skipped.map((r): Interval => [r.first, r.last])];
    const gap = uncovered(p.first, p.last, covered)[0];
    if (gap) {
      throw new AppError(
        NumberingErrors.INVALID_TRANSITION,
        `O número ${gap[0]} não foi abandonado nem pulado pelo administrador nesta série; não pode ser inutilizado.`,
        { details: { number: gap[0] } },
      );
    }
    const { iso, day } = this.stamp();
    let count = 0;
    for (const r of recorded) {
      if (r.state === 'abandoned') {
        s.updateState('inutilizada', iso, p.detail ?? r.detail, series.id, r.number);
        count++;
      }
    }
    for (const r of skipped) {
      if (r.state !== 'pending') continue;
      const a = Math.max(r.first, p.first);
      const b = Math.min(r.last, p.last);
      count += b - a + 1;
    }
    s.cutSkipped(series.id, [p.first, p.last], (r) => r.state !== 'pending');
    const pendingParts = skipped.filter((r) => r.state === 'pending').map((r): Interval => [Math.max(r.first, p.first), Math.min(r.last, p.last)]);
    for (const [a, b] of pendingParts) s.insertSkipped.run(series.id, a, b, 'inutilizada', iso, day, p.detail ?? null);
    this.audit.record(actor, {
      action: 'number.inutilize',
      target: `${seriesLabel(p.series)} nº ${p.first}–${p.last}`,
      newValue: 'inutilizada',
      reason: p.detail ?? null,
    });
    return { series: keyOf(series), first: p.first, last: p.last, count };
  }

  /**
   * Validates (and, when accepted, records) an own-emission note about to be imported.
   * SisPetro 7.13 rules: a used number is refused; a number above próximo número is
   * recorded and leaves a hole that the gap report shows, and allocation stops when the
   * sequence reaches it.
   */
  validateImport(p: Omit<ImportValidateParams, 'xml'>, actor: Actor): ImportValidateResult {
    const s = this.store;
    const replay = s.byRequest.get(p.requestId);
    if (replay) {
      const row = s.seriesById.get(replay.series_id)!;
      if (!sameSeries(keyOf(row), p.series) || replay.number !== p.number || replay.state !== 'imported') {
        throw new AppError(NumberingErrors.REQUEST_ID_REUSED, 'Este identificador de importação já foi usado para outro número.');
      }
      return { series: keyOf(row), number: p.number, accepted: true, aboveNext: replay.imported_above_next === 1, replayed: true };
    }
    const series = s.requireSeries(p.series);
    if (!series.emissao_propria) {
      throw new AppError(NumberingErrors.SERIES_NOT_OWN, `A ${seriesLabel(p.series)} não é de emissão própria; notas de terceiros não passam pela numeração.`);
    }
    const used = () =>
      new AppError(NumberingErrors.NUMBER_ALREADY_USED, `Já existe nota com esse número nesta série (${p.number}, ${seriesLabel(p.series)}).`, {
        details: { number: p.number },
      });
    if (s.numberAt(series.id, p.number)) throw used();
    // Below the series start the number belongs to the system used before Comboio.
    if (p.number < series.start_number) throw used();
    const aboveNext = p.number >= series.next_number;
    if (!aboveNext) {
      // Between start and next every number is recorded or skipped by an administrator;
      // a skipped number still pending inutilização may be claimed by the imported note.
      const skip = s.skippedOverlapping.all(series.id, p.number, p.number)[0];
      if (!skip || skip.state !== 'pending') throw used();
      s.cutSkipped(series.id, [p.number, p.number]);
    }
    s.insertNumber(
      this.newRow(series.id, p.number, 'imported', actor, { request_id: p.requestId, imported_above_next: aboveNext ? 1 : 0, detail: p.detail ?? null }),
    );
    this.audit.record(actor, {
      action: 'import.accept',
      target: `${seriesLabel(p.series)} nº ${p.number}`,
      oldValue: series.next_number,
      newValue: p.number,
      reason: p.detail ?? null,
    });
    return { series: keyOf(series), number: p.number, accepted: true, aboveNext, replayed: false };
  }

  get(series: SeriesKey, number: number): NumberRecord {
    const row = this.store.requireSeries(series);
    const r = this.store.numberAt(row.id, number);
    if (!r) throw new AppError(NumberingErrors.NUMBER_NOT_FOUND, `O número ${number} não existe na ${seriesLabel(series)}.`);
    return toRecord(r);
  }

  /** Numbers left behind on earlier days, with their inutilização deadline. */
  gaps(key: SeriesKey): GapReport {
    const s = this.store;
    const series = s.requireSeries(key);
    const today = localDay(new Date(this.stamp().iso));
    const item = (first: number, last: number, state: GapItem['state'], orderId: string | null, since: string, day: string): GapItem => {
      const deadline = inutilizacaoDeadline(day);
      return { first, last, state, orderId, since, inutilizacaoDeadline: deadline, overdue: today > deadline };
    };
    const pending: GapItem[] = [];
    const open = s.db
      .prepare("SELECT * FROM numbers WHERE series_id = ? AND state IN ('allocated', 'transmitted', 'abandoned') AND day < ? ORDER BY number")
      .all(series.id, today) as NumberRow[];
    for (const r of open) pending.push(item(r.number, r.number, r.state, r.order_id, r.allocated_at, r.day));
    const skipped = s.db.prepare("SELECT * FROM skipped_ranges WHERE series_id = ? AND state = 'pending' ORDER BY first").all(series.id) as { first: number; last: number; created_at: string; day: string }[];
    for (const r of skipped) pending.push(item(r.first, r.last, 'skipped', null, r.created_at, r.day));
    pending.sort((a, b) => a.first - b.first);

    const above = s.numbersFrom.all({ s: series.id, n: series.next_number }).map((r) => r.number);
    const holes: { first: number; last: number }[] = [];
    const top = above[above.length - 1];
    if (top !== undefined) {
      for (const [first, last] of uncovered(series.next_number, top, runs(above))) holes.push({ first, last });
    }
    const today_ = s.anyOnDay.get({ s: series.id, d: today });
    return {
      series: keyOf(series),
      today,
      firstNoteOfDay: !today_,
      pending,
      holes,
      blockedBy: above[0] === series.next_number ? series.next_number : null,
    };
  }
}
