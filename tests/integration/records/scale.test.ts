import { describe, expect, it } from 'vitest';
import { runComboio } from '../../helpers/proc';

// Issue #15: `comboio bench scale` at 50,000 documents — a LAN server holding them (records and
// their relational tables), a new station bootstrapping from it, and every search and first
// page answered through the station's Api (real processes, real sockets). The figures are
// printed, not asserted against a target (performance is measured by the benchmark); what
// is asserted is that every measurement ran and found what it searched for.
// COMBOIO_TEST_SCALE_DOCUMENTS lowers N for a quick local run.
const N = Number(process.env.COMBOIO_TEST_SCALE_DOCUMENTS ?? 50_000);

describe('bench scale', () => {
  it(`seeds ${N} documents, bootstraps a station and measures every search through its Api`, async () => {
    const r = await runComboio(['bench', 'scale', '--documents', String(N), '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const figures = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> & {
      searchP99Ms: Record<string, number>;
      listP99Ms: Record<string, number>;
    };
    process.stdout.write(`bench scale ${N}: ${JSON.stringify(figures)}\n`);
    expect(figures.documents).toBe(N);
    for (const k of ['chave', 'numero', 'cliente', 'cnpj', 'data']) expect(figures.searchP99Ms[k], k).toBeGreaterThan(0);
    for (const k of ['documentos', 'pedidos']) expect(figures.listP99Ms[k], k).toBeGreaterThan(0);
    // Every value searched exists: each search found it.
    expect(figures.emptyResults).toEqual({ chave: 0, numero: 0, cliente: 0, cnpj: 0, data: 0, documentos: 0, pedidos: 0 });
    for (const k of ['bootstrapMs', 'bootstrapBytes', 'stationDbMb', 'serverDbMb']) expect(figures[k], k).toBeGreaterThan(0);
  }, 30 * 60_000);
});
