import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { formatChave } from '../../../src/core/fiscal/chave';
import { defaultProjectPaths } from '../../../src/core/paths';
import { danfeFromXml, dacteFromXml, loadLayout, PrintQueue, renderDacteEscp, renderDactePdf } from '../../../src/core/printing/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { authorizedCteFixture } from '../../helpers/authorized-cte-fixture';
import { decodeBarcodes, decodeEscp, pageLines } from '../../helpers/escp-decoder';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-dacte-');
const resourcesDir = defaultProjectPaths().resourcesDir;
let two: ReturnType<typeof authorizedCteFixture>;
let many: ReturnType<typeof authorizedCteFixture>;

beforeAll(() => {
  two = authorizedCteFixture({ schemasDir });
  many = authorizedCteFixture({ schemasDir, nfeCount: 90 });
});
afterAll(() => tmp.cleanup());

const pdfText = (pdf: Buffer, name: string) => {
  const file = join(tmp.dir, name);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
};

describe('DACTE', () => {
  it('PDF (A4) holds the key, protocol, modal, parties, components, ICMS, documents and RNTRC', async () => {
    const d = dacteFromXml(two.cteProcXml);
    const pdf = await renderDactePdf(d, { resourcesDir });
    const text = pdfText(pdf, 'two.pdf');
    expect(text).toContain(formatChave(two.chave));
    expect(text).toMatch(/PROTOCOLO DE AUTORIZAÇÃO DE USO[\s\S]*\d{15} - /);
    for (const s of ['DACTE', 'RODOVIÁRIO', 'COMBOIO TRANSPORTES LTDA', 'COMBOIO DISTRIBUIDORA DE PETROLEO LTDA', 'AUTO POSTO ESTRADA REAL LTDA', '22.333.444/0001-81', 'FRETE PESO', '1.946,40', '233,57', 'OLEO DIESEL B S10 - COMUM', 'RNTRC DA EMPRESA', '12345678', 'MOTORISTA: JOAO CARRETEIRO', 'SEM VALOR FISCAL']) {
      expect(text).toContain(s);
    }
    expect(text).toContain(formatChave('35261111222333000181550010000010011481516239'));
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(1);
  });

  it('PDF continues the documents on further pages (90 NF-e), each page with the header', async () => {
    const text = pdfText(await renderDactePdf(dacteFromXml(many.cteProcXml), { resourcesDir }), 'many.pdf');
    const pages = text.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p).toContain(formatChave(many.chave));
    expect((text.match(/NF-e \d{4} \d{4}/g) ?? []).length).toBe(90);
  });

  it('dacte-continuo: ESC/P decoded back holds the key (text and CODE-128C), parties, totals; documents run on continuation forms', () => {
    const layout = loadLayout(resourcesDir, 'dacte-continuo');
    const one = decodeEscp(renderDacteEscp(dacteFromXml(two.cteProcXml), layout).bytes);
    expect(one.pages).toHaveLength(1);
    expect(one.pageLengthInches).toBe(12);
    const lines = pageLines(one.pages[0]!).join('\n');
    expect(decodeBarcodes(one.pages[0]!).map((b) => b.digits)).toEqual([two.chave]);
    for (const s of [formatChave(two.chave), 'COMBOIO TRANSPORTES LTDA', 'AUTO POSTO ESTRADA REAL LTDA', 'TOMADOR: REMETENTE', 'VALOR TOTAL DA PRESTAÇÃO R$ 1.946,40', 'RNTRC 12345678', 'MODAL RODOVIÁRIO']) expect(lines).toContain(s);

    const long = decodeEscp(renderDacteEscp(dacteFromXml(many.cteProcXml), layout).bytes);
    expect(long.pages.length).toBeGreaterThan(1);
    const docs = long.pages.flatMap((p) => p.texts.filter((t) => /^NF-e \d{4}/.test(t.text)).map((t) => t.text));
    expect(docs).toHaveLength(90);
    for (const p of long.pages) expect(decodeBarcodes(p).map((b) => b.digits)).toEqual([many.chave]);
  });

  it('goes through the same print queue as the DANFE (file printer), and comboio dacte / print write PDF and ESC/P', async () => {
    const store = openStore(join(tmp.dir, 'ws', 'comboio.db'));
    migrateStore(store, defaultProjectPaths().migrationsDir);
    const queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir, loadDanfe: danfeFromXml });
    const out = join(tmp.dir, 'queue.prn');
    try {
      const job = await queue.enqueue({ printer: { name: 'arquivo', settings: { kind: 'file', path: out }, calibration: { dxMm: 2, dyMm: 0 } }, kind: 'dacte', xml: two.cteProcXml, requestedBy: 'ana' });
      expect(job).toMatchObject({ layout: 'dacte-continuo', documentKey: two.chave, title: expect.stringMatching(/^DACTE CT-e 000\.000\.501 série 001$/) });
      queue.start();
      expect((await queue.waitFor(job.id)).state).toBe('done');
      expect(decodeBarcodes(decodeEscp(readFileSync(out)).pages[0]!).map((b) => b.digits)).toEqual([two.chave]);
    } finally {
      await queue.stop();
      store.close();
    }

    const xml = join(tmp.dir, `${two.chave}-procCTe.xml`);
    writeFileSync(xml, two.cteProcXml);
    const pdf = join(tmp.dir, 'cli.pdf');
    const r = await runComboio(['dacte', xml, '--pdf', pdf]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/DACTE do CT-e 000\.000\.501 série 001 gravado/);
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain(formatChave(two.chave));
    const prn = join(tmp.dir, 'cli.prn');
    const p = await runComboio(['print', xml, '--file', prn, '--layout', 'dacte-continuo', '--data', join(tmp.dir, 'ws2')]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    expect(pageLines(decodeEscp(readFileSync(prn)).pages[0]!).join('\n')).toContain(formatChave(two.chave));
  });
});
