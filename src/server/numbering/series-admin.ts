import { AppError } from '../../core/errors';
import {
  MAX_NUMBER,
  NumberingErrors,
  seriesLabel,
  type Actor,
  type SeriesCreateParams,
  type SeriesInfo,
  type SeriesKey,
  type SeriesUpdateParams,
  type SetNextNumberParams,
  type SetNextNumberResult,
} from '../../core/numbering/protocol';
import type { AuditLog } from '../audit';
import { runs, uncovered } from './intervals';
import type { Stamp } from './numbers';
import type { NumberingStore, SeriesRow } from './store';

/** Series administration (admin capability). Every change leaves an audit line. */
export class SeriesAdmin {
  constructor(
    private readonly store: NumberingStore,
    private readonly audit: AuditLog,
    private readonly stamp: () => Stamp,
  ) {}

  list(cnpj?: string): SeriesInfo[] {
    const rows = cnpj ? this.store.seriesByCnpj.all(cnpj) : this.store.seriesAll.all();
    return rows.map((r) => this.store.toInfo(r));
  }

  info(key: SeriesKey): SeriesInfo {
    return this.store.toInfo(this.store.requireSeries(key));
  }

  create(p: SeriesCreateParams, actor: Actor): SeriesInfo {
    const s = this.store;
    if (s.seriesByKey.get(p.cnpj, p.model, p.serie)) throw new AppError(NumberingErrors.SERIES_EXISTS, `A ${seriesLabel(p)} já está cadastrada.`);
    const { iso } = this.stamp();
    const next = p.nextNumber ?? 1;
    const id = Number(
      s.db
        .prepare(
          `INSERT INTO series (cnpj, model, serie, emissao_propria, active, description, next_number, start_number, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(p.cnpj, p.model, p.serie, p.emissaoPropria ? 1 : 0, p.active === false ? 0 : 1, p.description ?? null, next, next, iso, iso).lastInsertRowid,
    );
    this.audit.record(actor, {
      action: 'series.create',
      target: seriesLabel(p),
      newValue: `próximo ${next}, emissão própria ${p.emissaoPropria ? 'sim' : 'não'}`,
    });
    return s.toInfo(s.seriesById.get(id)!);
  }

  update(p: SeriesUpdateParams, actor: Actor): SeriesInfo {
    const s = this.store;
    const row = s.requireSeries(p.series);
    const { iso } = this.stamp();
    const changes: [column: keyof SeriesRow, field: string, old: string | number | null, next: string | number | null][] = [];
    if (p.emissaoPropria !== undefined && (row.emissao_propria === 1) !== p.emissaoPropria) {
      changes.push(['emissao_propria', 'emissaoPropria', row.emissao_propria, p.emissaoPropria ? 1 : 0]);
    }
    if (p.active !== undefined && (row.active === 1) !== p.active) changes.push(['active', 'active', row.active, p.active ? 1 : 0]);
    if (p.description !== undefined && (p.description ?? null) !== row.description) changes.push(['description', 'description', row.description, p.description ?? null]);
    for (const [column, field, old, next] of changes) {
      s.db.prepare(`UPDATE series SET ${column} = ?, updated_at = ? WHERE id = ?`).run(next, iso, row.id);
      this.audit.record(actor, { action: `series.update.${field}`, target: seriesLabel(p.series), oldValue: old, newValue: next, reason: p.reason ?? null });
    }
    return s.toInfo(s.seriesById.get(row.id)!);
  }

  /**
   * Changes próximo número. Forward: the numbers jumped over become a skipped range pending
   * inutilização (never silently lost). Backward: refused when any number at or above the
   * new value was ever allocated, imported or inutilizado — a number is never reused.
   */
  setNext(p: SetNextNumberParams, actor: Actor): SetNextNumberResult {
    const s = this.store;
    const row = s.requireSeries(p.series);
    const target = p.nextNumber;
    if (target < 1 || target > MAX_NUMBER + 1) throw new AppError('INVALID_INPUT', `Próximo número fora do intervalo 1..${MAX_NUMBER}.`, { field: 'nextNumber' });
    const old = row.next_number;
    const { iso, day } = this.stamp();
    const skipped: { first: number; last: number }[] = [];
    if (target === old) return { series: s.toInfo(row), skipped };

    if (target > old) {
      const recorded = s.numbersBetween.all({ s: row.id, a: old, b: target - 1 }).map((r) => r.number);
      const already = s.skippedOverlapping.all(row.id, old, target - 1).map((r): [number, number] => [r.first, r.last]);
      for (const [first, last] of uncovered(old, target - 1, [...runs(recorded), ...already])) {
        s.insertSkipped.run(row.id, first, last, 'pending', iso, day, p.reason);
        skipped.push({ first, last });
      }
    } else {
      const used = s.numbersFrom.get({ s: row.id, n: target });
      if (used) {
        throw new AppError(
          NumberingErrors.NEXT_NUMBER_BACKWARD,
          `Não é possível voltar o próximo número para ${target}: o número ${used.number} já foi usado nesta série. Números nunca são reaproveitados.`,
          { details: { usedNumber: used.number } },
        );
      }
      const inutilizada = s.skippedOverlapping.all(row.id, target, MAX_NUMBER).find((r) => r.state === 'inutilizada');
      if (inutilizada) {
        throw new AppError(
          NumberingErrors.NEXT_NUMBER_BACKWARD,
          `Não é possível voltar o próximo número para ${target}: os números ${inutilizada.first}–${inutilizada.last} já foram inutilizados.`,
          { details: { usedNumber: Math.max(inutilizada.first, target) } },
        );
      }
      // Skipped-but-pending numbers at or above the new value become ordinary future numbers again.
      s.cutSkipped(row.id, [target, MAX_NUMBER]);
      if (target < row.start_number) s.db.prepare('UPDATE series SET start_number = ? WHERE id = ?').run(target, row.id);
    }
    s.setNext.run(target, iso, row.id);
    this.audit.record(actor, { action: 'series.setNext', target: seriesLabel(p.series), oldValue: old, newValue: target, reason: p.reason });
    return { series: s.toInfo(s.seriesById.get(row.id)!), skipped };
  }
}
