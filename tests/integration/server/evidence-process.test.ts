import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evidenceKit, procInut, signedNfe } from '../../helpers/fiscal-evidence';
import { tempDir } from '../../helpers/tmp';
import { startServerProcess, userConnection } from './harness';

// Issue #16 finding 4 against `comboio server` as its own process (its CLI reads the SEFAZ
// CA from --sefaz-ca; the test CA stands for ICP-Brasil).
const tmp = tempDir('comboio-evidence-');
afterAll(() => tmp.cleanup());
const SERIES = { cnpj: '11222333000181', model: 55 as const, serie: 9 };

describe('numbering evidence (server process)', () => {
  it('a faturista cannot walk numbers to inutilizada or block the series by import without SEFAZ-signed evidence', async () => {
    const caFile = join(tmp.dir, 'sefaz-ca.pem');
    writeFileSync(caFile, evidenceKit().ca.certPem);
    const srv = await startServerProcess(join(tmp.dir, 'srv'), 0, ['--sefaz-ca', caFile]);
    try {
      const admin = await userConnection(srv, 'ADM', 'admin', {}, ['administrador']);
      await admin.createSeries({ ...SERIES, emissaoPropria: true });
      const ana = await userConnection(srv, 'FAT01', 'ana');
      const bia = await userConnection(srv, 'FAT02', 'bia');
      const { number } = await ana.allocate({ series: SERIES, orderId: 'P-1' });
      const err = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code: string }) => e.code);

      // Another station's number, from the other station: the SEFAZ outcome is not hers to report.
      expect(await err(bia.updateState({ series: SERIES, number, state: 'authorized' }))).toBe('FORBIDDEN');
      await ana.updateState({ series: SERIES, number, state: 'abandoned' });
      expect(await err(bia.inutilize({ series: SERIES, first: number, last: number, procInutNFe: '' }))).toBe('EVIDENCE_REQUIRED');
      expect(await err(bia.inutilize({ series: SERIES, first: number, last: number, procInutNFe: procInut(SERIES, number, number, { signer: evidenceKit().forger }) }))).toBe('EVIDENCE_INVALID');
      expect((await ana.getNumber({ series: SERIES, number })).state).toBe('abandoned');
      expect(await ana.inutilize({ series: SERIES, first: number, last: number, procInutNFe: procInut(SERIES, number, number) })).toMatchObject({ count: 1 });

      // The next number cannot be claimed (and the series blocked) with a number alone.
      const next = number + 1;
      expect(await err(bia.validateImport({ series: SERIES, number: next, xml: '' }))).toBe('EVIDENCE_REQUIRED');
      expect(await err(bia.validateImport({ series: SERIES, number: next, xml: signedNfe(SERIES, next + 1) }))).toBe('EVIDENCE_MISMATCH');
      expect((await ana.allocate({ series: SERIES, orderId: 'P-2' })).number).toBe(next);
      await Promise.all([admin.close(), ana.close(), bia.close()]);
    } finally {
      await srv.proc.kill();
    }
  });
});
