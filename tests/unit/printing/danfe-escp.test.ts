import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { code128cWidths } from '../../../src/core/printing/code128';
import { fsdaBarcodeData } from '../../../src/core/printing/contingency';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { encodeText, normalizeForCodePage } from '../../../src/core/printing/encoding';
import { loadLayout, validateLayout } from '../../../src/core/printing/layout';
import { renderCalibrationPage } from '../../../src/core/printing/calibration';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { decodeBarcodes, decodeEscp, findText, pageLines, toCol, toRow } from '../../helpers/escp-decoder';
import { repoRoot } from '../../helpers/proc';

const resources = join(repoRoot, 'resources');
const layout = loadLayout(resources, 'danfe-continuo');

describe('CODE-128C', () => {
  it('matches bwip-js element widths for chave and FS-DA data', () => {
    const d = danfeFixture({ tpEmis: '5' });
    for (const digits of [d.chave, fsdaBarcodeData(d), '00', '99999999999999999999999999999999999999999999']) {
      const ref = (bwipjs.raw({ bcid: 'code128', text: digits }) as { sbs: number[] }[])[0]!.sbs;
      expect(code128cWidths(digits)).toEqual(ref);
    }
  });

  it('refuses an odd number of digits', () => {
    expect(() => code128cWidths('123')).toThrow(/par de dígitos/);
  });
});

describe('PC850 text', () => {
  it('encodes ÇÃÕÉ as single CP850 bytes and normalises what the page lacks', () => {
    expect(encodeText('ÇÃÕÉ')).toEqual(Buffer.from([0x80, 0xc7, 0xe5, 0x90]));
    expect(normalizeForCodePage('“ok” – 5€ Ł…')).toBe('"ok" - 5EUR L...');
    expect(encodeText('ÇÃÕÉ', 'pc860')).toEqual(Buffer.from([0x80, 0x8e, 0x99, 0x90]));
  });
});

describe('danfe-continuo on ESC/P', () => {
  it('starts with the job prefix and places the header fields where the layout says', () => {
    const d = danfeFixture({ items: 1 });
    const { bytes, pages } = renderDanfeEscp(d, layout);
    expect(pages).toBe(1);
    expect(bytes.subarray(0, 21)).toEqual(Buffer.from('1b401b287403000103001b74011b43000c1b4f1b32', 'hex'));
    const dec = decodeEscp(bytes);
    expect(dec.slot1Table).toBe(3);
    expect(dec.pageLengthInches).toBe(12);
    expect(dec.pages).toHaveLength(1);
    const p = dec.pages[0]!;
    const nome = findText(p, /^AUTO POSTO CORAÇÃO DE MARIA LTDA$/)!;
    expect(nome, pageLines(p).join('\n')).toBeDefined();
    expect([toRow(nome.y), toCol(nome.x), nome.cpi]).toEqual([18, 1, 12]);
    expect(nome.bytes.includes(Buffer.from([0x80, 0xc7]))).toBe(true);
    const total = findText(p, /^\d{1,3}(\.\d{3})*,\d{2}$/)!;
    expect(total).toBeDefined();
    const vNF = p.texts.find((t) => t.bold && toRow(t.y) === 30)!;
    expect(vNF.text).toBe(d.totais.valorNota.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/, '.'));
    // right-aligned: the value ends at the field's right edge (col 69 + 14 chars at 12 cpi)
    expect(toCol(vNF.x) + (vNF.text.length * 10) / 12).toBeCloseTo(69 + (14 * 10) / 12, 5);
    const item = findText(p, 'GASOLINA C COMUM ITEM 1')!;
    expect([toRow(item.y), toCol(item.x), item.cpi]).toEqual([40, 8.5, 17.14]);
    expect(findText(p, 'FOLHA')).toBeUndefined();
    expect(findText(p, '1/1')).toBeDefined();
  });

  it('decodes the key barcode bit image back to the chave', () => {
    const d = danfeFixture({ items: 1 });
    const dec = decodeEscp(renderDanfeEscp(d, layout).bytes);
    const codes = decodeBarcodes(dec.pages[0]!);
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ digits: d.chave, bands: 3, moduleDots: 2 });
    expect(toRow(codes[0]!.y)).toBe(4);
  });

  it('spreads 60 items over continuation pages that repeat the header', () => {
    const d = danfeFixture({ items: 60 });
    const { bytes, pages, bytesPerPage } = renderDanfeEscp(d, layout);
    const dec = decodeEscp(bytes);
    expect(dec.pages).toHaveLength(pages);
    // Gasoline descriptions fit one line, diesel and ethanol wrap to two: 5 lines per 3 items,
    // so 22 band lines take 13 items and 60 items need 5 sheets.
    expect(pages).toBe(5);
    expect(bytesPerPage.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(bytes.length);
    const seen: string[] = [];
    dec.pages.forEach((p, i) => {
      expect(findText(p, `${i + 1}/${pages}`), `folha on page ${i + 1}`).toBeDefined();
      expect(findText(p, 'DISTRIBUIDORA DE COMBUSTÍVEIS AÇAÍ LTDA')).toBeDefined();
      expect(findText(p, 'Nº 000.001.234')).toBeDefined();
      expect(decodeBarcodes(p).map((c) => c.digits)).toEqual([d.chave]);
      if (i > 0) {
        expect(findText(p, /^AUTO POSTO/)).toBeUndefined();
        expect(findText(p, 'CONTINUAÇÃO DA FOLHA ANTERIOR')).toBeDefined();
      }
      for (const t of p.texts) {
        const m = /^[A-Z0-9]+-\d+-(\d{3})$/.exec(t.text);
        if (m) {
          expect(toRow(t.y)).toBeGreaterThanOrEqual(40);
          expect(toRow(t.y)).toBeLessThan(62);
          seen.push(m[1]!);
        }
      }
    });
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1).padStart(3, '0')));
  });

  it('moves the whole form by the calibration offsets without accumulating', () => {
    const d = danfeFixture({ items: 30 });
    const base = decodeEscp(renderDanfeEscp(d, layout).bytes);
    const moved = decodeEscp(renderDanfeEscp(d, layout, { dxMm: 0.5, dyMm: 1.2 }).bytes);
    const dx = Math.round((0.5 * 60) / 25.4);
    const dy = Math.round((1.2 * 216) / 25.4);
    for (const [pi, page] of base.pages.entries()) {
      const other = moved.pages[pi]!;
      expect(other.texts.length).toBe(page.texts.length);
      // Same order (elements are sorted by position), every one shifted by the same amount.
      page.texts.forEach((t, k) => {
        const m = other.texts[k]!;
        expect(m.text).toBe(t.text);
        expect(Math.abs(m.x - t.x - dx)).toBeLessThanOrEqual(1);
        expect(Math.abs(m.y - t.y - dy)).toBeLessThanOrEqual(1);
      });
    }
  });

  it('adds the FS-DA text and the 36-digit second barcode in contingency', () => {
    const d = danfeFixture({ items: 2, tpEmis: '5' });
    const dec = decodeEscp(renderDanfeEscp(d, layout).bytes);
    const p = dec.pages[0]!;
    expect(findText(p, /CONTINGÊNCIA \(FS-DA\)/)).toBeDefined();
    const codes = decodeBarcodes(p).map((c) => c.digits);
    expect(codes).toContain(d.chave);
    const fsda = codes.find((c) => c.length === 36)!;
    expect(fsda).toBe(fsdaBarcodeData(d));
    expect(fsda.slice(0, 3)).toBe('355');
    expect(fsda.slice(3, 17)).toBe('11222333000181');
  });
});

describe('layouts', () => {
  it('refuses a field outside the page', () => {
    const raw = JSON.parse(readFileSync(join(resources, 'forms', 'danfe-continuo.json'), 'utf8'));
    raw.fields.push({ id: 'x', row: 5, col: 80, width: 20, pitch: 10 });
    expect(() => validateLayout(raw)).toThrow(/"x" sai da página/);
    raw.fields.pop();
    raw.fields.push({ id: 'y', row: 71, col: 1, width: 5, maxLines: 3 });
    expect(() => validateLayout(raw)).toThrow(/"y" sai da página: vai até a linha 74/);
  });

  it('prints a calibration grid with the current offsets and a readable test barcode', () => {
    const cal = loadLayout(resources, 'calibracao');
    const dec = decodeEscp(renderCalibrationPage(cal, 'EPSON-LX300', { dxMm: 1.5, dyMm: 0.5 }).bytes);
    expect(dec.pages).toHaveLength(1);
    const p = dec.pages[0]!;
    expect(findText(p, 'dx) +1,5 mm, vertical (dy) +0,5 mm')).toBeDefined();
    const rows = p.texts.filter((t) => /^\d\d$/.test(t.text)).map((t) => t.text);
    expect(rows[0]).toBe('14');
    expect(rows.at(-1)).toBe('67');
    expect(decodeBarcodes(p)).toHaveLength(1);
  });
});
