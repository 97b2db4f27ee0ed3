/**
 * dhEmi carries the offset of the emitente's UF, not the machine's: a distributor in Manaus
 * whose server runs on São Paulo time still issues at −04:00 (SEFAZ rejects a dhEmi too far
 * from its own clock, 703). Brazil abolished daylight saving time in 2019 (Decreto
 * 9.772/2019); the table of periods stays so that a decree restoring it is one line here.
 */

/** Standard offset in minutes (east of UTC) per UF. Amazonas uses its capital's −04:00. */
const STANDARD_OFFSET: Record<string, number> = {
  AC: -300,
  AM: -240, RR: -240, RO: -240, MT: -240, MS: -240,
};
const DEFAULT_OFFSET = -180;

/** Daylight saving periods [start, end) in UTC, with the UFs that observed them. */
const DAYLIGHT_PERIODS: ReadonlyArray<{ from: string; to: string; ufs: readonly string[] }> = [
  // 2018/2019, the last one: from 0h of 4 Nov 2018 to 0h of 17 Feb 2019 (local time).
  { from: '2018-11-04T03:00:00Z', to: '2019-02-17T02:00:00Z', ufs: ['SP', 'RJ', 'ES', 'MG', 'GO', 'DF', 'PR', 'SC', 'RS'] },
  { from: '2018-11-04T04:00:00Z', to: '2019-02-17T03:00:00Z', ufs: ['MT', 'MS'] },
];

export function ufOffsetMinutes(uf: string, at: Date): number {
  const base = STANDARD_OFFSET[uf] ?? DEFAULT_OFFSET;
  const t = at.getTime();
  const dst = DAYLIGHT_PERIODS.some((p) => p.ufs.includes(uf) && t >= Date.parse(p.from) && t < Date.parse(p.to));
  return dst ? base + 60 : base;
}

/** ISO 8601 local time of the UF with its offset, e.g. 2026-12-02T14:05:00-04:00. */
export function isoInUf(at: Date, uf: string): string {
  const off = ufOffsetMinutes(uf, at);
  const local = new Date(at.getTime() + off * 60_000);
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const sign = off >= 0 ? '+' : '-';
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  );
}
