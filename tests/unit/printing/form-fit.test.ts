import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
