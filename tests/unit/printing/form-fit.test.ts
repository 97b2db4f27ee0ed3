import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCalibrationPage } from '../../../src/core/printing/calibration';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { loadLayout } from '../../../src/core/printing/layout';
import { fitText } from '../../../src/core/printing/text-fit';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { decodeEscp, toCol } from '../../helpers/escp-decoder';
import { repoRoot } from '../../helpers/proc';

const layout = loadLayout(join(repoRoot, 'resources'), 'danfe-continuo');
const quantityColumn = layout.items!.columns.find((c) => c.id === 'quantidade')!;

describe('values are never cut on the form (#22 item 18)', () => {
  it('prints quantities of 100,000 and more whole, right-aligned inside the quantity column', () => {
    const d = danfeFixture({ items: 4 });
    d.itens[3]!.quantidade = '1111.7500';
    d.itens[0]!.quantidade = '123456.7891';
    d.itens[1]!.quantidade = '150000.0000';
    d.itens[2]!.quantidade = '9999999.9999';
    const page = decodeEscp(renderDanfeEscp(d, layout).bytes).pages[0]!;
    const rightEdge = quantityColumn.col + (quantityColumn.width * 10) / 17.14;
    for (const q of ['123.456,7891', '150.000,0000']) {
      const run = page.texts.find((t) => t.text === q);
      expect(run, `${q} on the form`).toBeDefined();
      // Narrower pitch, same column: the value ends at the column's right edge, not past it.
      expect(toCol(run!.x) + (q.length * 10) / run!.cpi).toBeLessThanOrEqual(rightEdge + 0.01);
      expect(toCol(run!.x)).toBeGreaterThanOrEqual(quantityColumn.col - 0.01);
    }
    // Past what 20 cpi holds in the column, the item takes a second line: every digit stays.
    const big = page.texts.filter((t) => toCol(t.x) >= quantityColumn.col - 0.01 && toCol(t.x) < quantityColumn.col + quantityColumn.width && t.cpi === 20);
    expect(big.map((t) => t.text).join('')).toContain('9.999.999,9999');
    // A value that fits keeps the layout's pitch.
    expect(page.texts.find((t) => t.text === '1.111,7500')!.cpi).toBe(17.14);
  });

  it('drops to the next narrower pitch only as far as needed and says when even 20 cpi is not enough', () => {
    expect(fitText('123.456,7891', { width: 11, pitch: 17 })).toEqual({ pitch: 20, width: 12, lines: ['123.456,7891'], cut: false });
    expect(fitText('12345678901', { width: 10, pitch: 10 })).toMatchObject({ pitch: 12, width: 12, cut: false });
    expect(fitText('X'.repeat(30), { width: 10, pitch: 10 })).toMatchObject({ pitch: 20, width: 20, cut: true });
  });
});

describe('calibration offsets bounded by the form (#22 item 21)', () => {
  const cal = loadLayout(join(repoRoot, 'resources'), 'calibracao');
  const outOfForm = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err as { code: string; message: string; field?: string };
    }
    throw new Error('printed although a field leaves the form');
  };

  it('refuses a dx that pushes the transporter CNPJ past the 8.5" width, naming the field', () => {
    const err = outOfForm(() => renderDanfeEscp(danfeFixture({ items: 1 }), layout, { dxMm: 2, dyMm: 0 }));
    expect(err).toMatchObject({ code: 'PRINT_CALIBRATION_OUT_OF_FORM' });
    expect(err.message).toBe(
      'Calibração fora do formulário: com dx 2,0 mm e dy 0,0 mm o campo "transp.documento" do layout danfe-continuo fica além da largura do formulário (8.5"). Ajuste o deslocamento (ou a posição do formulário na impressora).',
    );
  });

  it('refuses a dy that puts the bottom ruler past 12", a negative one that would clamp the top ruler, a dx left of the margin', () => {
    expect(outOfForm(() => renderCalibrationPage(cal, 'LX', { dxMm: 0, dyMm: 5 })).message).toMatch(/além do comprimento do formulário \(12"\)/);
    expect(outOfForm(() => renderCalibrationPage(cal, 'LX', { dxMm: 0, dyMm: -5 })).message).toMatch(/"regua\.dezenas" do layout calibracao fica acima do topo/);
    expect(outOfForm(() => renderCalibrationPage(cal, 'LX', { dxMm: -3, dyMm: 0 })).message).toMatch(/à esquerda da margem/);
  });

  it('moves the rulers with everything else', () => {
    const base = decodeEscp(renderCalibrationPage(cal, 'LX', { dxMm: 0, dyMm: 0 }).bytes).pages[0]!;
    const moved = decodeEscp(renderCalibrationPage(cal, 'LX', { dxMm: 3, dyMm: -4 }).bytes).pages[0]!;
    const ruler = (p: typeof base) => p.texts.filter((t) => /^[0-9]{20,}$/.test(t.text));
    const [top0, bottom0] = ruler(base);
    const [top1, bottom1] = ruler(moved);
    for (const [a, b] of [
      [top0!, top1!],
      [bottom0!, bottom1!],
    ] as const) {
      expect(b.x - a.x).toBe(Math.round((3 * 60) / 25.4));
      expect(b.y - a.y).toBe(Math.round((-4 * 216) / 25.4));
      expect(b.x + (b.text.length * 60) / 10).toBeLessThanOrEqual(8.5 * 60);
    }
  });
});

describe('a layout of the wrong kind is refused, not printed blank (#22 item 24)', () => {
  it('refuses a DANFE on the calibration layout and a calibration page on the DANFE layout', () => {
    const cal = loadLayout(join(repoRoot, 'resources'), 'calibracao');
    expect(() => renderDanfeEscp(danfeFixture({ items: 1 }), cal)).toThrow(expect.objectContaining({ code: 'PRINT_LAYOUT_INVALID', message: expect.stringContaining('"calibracao"') }));
    expect(() => renderCalibrationPage(layout, 'LX', { dxMm: 0, dyMm: 0 })).toThrow(expect.objectContaining({ code: 'PRINT_LAYOUT_INVALID' }));
  });
});
