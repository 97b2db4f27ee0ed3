import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { danfeFromNfe } from '../../../src/core/printing/nfe-adapter';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { renderDanfePdf } from '../../../src/core/printing/danfe-pdf';
import { loadLayout } from '../../../src/core/printing/layout';
import { decodeEscp, pageLines } from '../../helpers/escp-decoder';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { EMIT_CNPJ, exampleOrder } from '../../unit/fiscal/helpers/orders';

const tmp = tempDir('comboio-nfe-danfe-');
afterAll(() => tmp.cleanup());
const certificate = loadA1(makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'x', keyBits: 1024 }).pfx, 'x');
const resources = join(repoRoot, 'resources');

/** FIXTURE protocol (no SEFAZ here): the signed note wrapped in an nfeProc with a made-up protNFe. */
function authorized(example: string) {
  const nfe = emitNfe(exampleOrder(example), { layout: 'PL_009_V4', certificate, schemasDir });
  const prot =
    `<protNFe versao="4.00"><infProt><tpAmb>2</tpAmb><verAplic>FIXTURE-SEM-SEFAZ</verAplic><chNFe>${nfe.chave}</chNFe>` +
    `<dhRecbto>2026-11-21T10:20:00-03:00</dhRecbto><nProt>135260000012345</nProt><cStat>100</cStat><xMotivo>Autorizado o uso da NF-e</xMotivo></infProt></protNFe>`;
  return danfeFromNfe(parseNfe(`<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00">${nfe.signedXml}${prot}</nfeProc>`));
}

const cases: Array<[string, string[]]> = [
  ['diesel-bitrem-lacres', ['FTR4A21', 'BTM1C11', 'BTM2C22', ...Array.from({ length: 9 }, (_, i) => `045880${i + 1}`)]],
  ['lubrificante-st-interestadual', ['27.316,77', '3.548,06', '546,34', '7.484,01', '972,07', '149,68', '329,72', '35,00', '90,28', '12,00', '696,02', '4.520,13']],
  ['etanol-hidratado-st', ['48.700,00', 'SP0011201', 'SP0011202', '778,80', '45,14']],
  ['encargos-por-item', ['Frete R$', 'Seguro R$', 'Outras R$', 'SP0020103']],
];

describe('DANFE of the issue #23 notes (PDF and pre-printed form) shows ST values, trailers, seals and charges (FIXTURE protocol, no SEFAZ)', () => {
  it.each(cases)('%s', async (example, expected) => {
    const d = authorized(example);
    const pdf = join(tmp.dir, `${example}.pdf`);
    writeFileSync(pdf, await renderDanfePdf(d, { resourcesDir: resources }));
    const pdfText = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    const form = decodeEscp(renderDanfeEscp(d, loadLayout(resources, 'danfe-continuo')).bytes).pages.flatMap(pageLines).join('\n');
    for (const token of expected) {
      expect(pdfText, `PDF: ${token}`).toContain(token);
      expect(form, `form: ${token}`).toContain(token);
    }
  });
});
