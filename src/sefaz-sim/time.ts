/**
 * SEFAZ stamps replies in Brasília time: retEvento's dhRegEvento only accepts offsets
 * -01:00 to -04:00 (leiauteEvento), so the simulator always writes -03:00.
 */
export function brasiliaIso(ms: number): string {
  const d = new Date(ms - 3 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}-03:00`;
}

export function brasiliaYear2(ms: number): string {
  return String(new Date(ms - 3 * 3_600_000).getUTCFullYear() % 100).padStart(2, '0');
}
