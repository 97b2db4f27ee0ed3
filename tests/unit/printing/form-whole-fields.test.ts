import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { danfeFormValues } from '../../../src/core/printing/danfe-values';
import { renderDanfeEscp } from '../../../src/core/printing/danfe-escp';
import { CHAR_WIDTH_60THS, loadLayout, MIN_COLUMN_GAP_60THS, validateLayout, type FieldSpec, type FormLayout, type TextSpec } from '../../../src/core/printing/layout';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { maximalDanfe } from '../../helpers/danfe-max-fixture';
import { decodeEscp, pageLines, type DecodedPage, type TextRun } from '../../helpers/escp-decoder';
import { repoRoot } from '../../helpers/proc';

const layout = loadLayout(join(repoRoot, 'resources'), 'danfe-continuo');
const squeeze = (s: string) => s.replace(/\s+/g, '');
const MARKER = /\(CONTINUA NA FOLHA \d+\)/g;
const rowOf = (y: number) => y / 36;
const right60 = (t: TextRun) => t.x + (t.text.length * 60) / t.cpi;

/** Runs inside a field's box (its columns, `lines` rows from `row`), in reading order. */
function inBox(page: DecodedPage, spec: TextSpec, row: number, lines: number): TextRun[] {
  const left = (spec.col * 60) / layout.page.gridCpi;
  const right = left + spec.width * CHAR_WIDTH_60THS[spec.pitch ?? 10];
  const bottom = row + (lines - 1) * (spec.lineSpacing ?? 1);
  return page.texts
    .filter((t) => t.x >= left - 0.5 && t.x < right && rowOf(t.y) >= row - 1e-6 && rowOf(t.y) <= bottom + 1e-6)
    .sort((a, b) => a.y - b.y || a.x - b.x);
}

/** What a field printed over every sheet: its own box, then its continuation boxes. */
function printed(pages: DecodedPage[], f: FieldSpec): string {
  return pages
    .map((p, i) => {
      const [row, lines] = i > 0 && f.continuation ? [f.continuation.row, f.continuation.maxLines] : [f.row, f.maxLines ?? 1];
      const onPage = f.on === undefined || f.on === 'all' || (f.on === 'first' && i === 0) || (f.on === 'rest' && i > 0) || f.continuation !== undefined;
      return onPage ? inBox(p, f, row, lines).map((t) => t.text).join(' ') : '';
    })
    .join(' ');
}

/** Boxes of the pre-printed form too small for the schema's maximum (a 60-character município in a box for 36 at 20 cpi). */
const EXPECTED_OVERFLOW = ['dest.bairro', 'dest.endereco', 'dest.municipio', 'transp.municipio', 'transp.rntc', 'volumes.especie', 'volumes.marca', 'volumes.numeracao', 'volumes.quantidade'];

describe('every field keeps its whole value on the form (#22 items 19, 20)', () => {
  const d = maximalDanfe(3);
  d.totais.valorIcmsMonoRetido = '123456.78';
  const { values, items } = danfeFormValues(d);
  const rendered = renderDanfeEscp(d, layout);
  const pages = decodeEscp(rendered.bytes).pages;

  it('prints the maximum length of every header field whole, inside its box', () => {
    const cut: string[] = [];
    const overflowed: string[] = [];
    const complementares = squeeze(printed(pages, layout.fields.find((x) => x.id === 'adicionais.complementares')!).replace(MARKER, ''));
    for (const f of layout.fields) {
      const v = values[f.id];
      if (!v || f.id.startsWith('pagina.') || f.id === 'adicionais.complementares') continue;
      const box = printed(pages, f).replace(MARKER, '');
      const got = squeeze(box);
      // A field printed on every sheet shows its value once per sheet.
      const sheets = f.on === undefined || f.on === 'all' ? pages.length : f.on === 'rest' ? pages.length - 1 : 1;
      const once = squeeze(v).repeat(f.continuation ? 1 : sheets);
      if (got === once) continue;
      // Too long for its box even at 20 cpi: the box says so and the dados adicionais carry it whole.
      if (box.trimEnd().endsWith('(*)') && complementares.includes(squeeze(`(*) ${f.label}: ${v}`))) {
        overflowed.push(f.id);
        continue;
      }
      cut.push(`${f.id}: expected ${once.length} chars, printed ${got.length}: …${got.slice(-40)}`);
    }
    expect(cut, pageLines(pages[0]!).join('\n')).toEqual([]);
    // Only boxes that cannot hold the schema's maximum even at 20 cpi and 8 lpi go to the notes.
    expect(overflowed.sort()).toEqual(EXPECTED_OVERFLOW);
  });

  it('keeps the emitente address with its "andar", natureza at 60 and the transporter name at 60', () => {
    const f = (id: string) => squeeze(printed(pages.slice(0, 1), layout.fields.find((x) => x.id === id)!));
    expect(f('emitente.endereco')).toMatch(/9ANDAR$/);
    expect(f('natureza')).toBe(squeeze(d.naturezaOperacao));
    expect(d.naturezaOperacao).toHaveLength(60);
    expect(f('transp.nome')).toBe(squeeze(d.transporte.transportador!.nome));
  });

  it('prints every item column whole (60-character code, 120-character description with 500 of infAdProd)', () => {
    for (const c of layout.items!.columns) {
      const band = pages.flatMap((p, i) => {
        const area = i === 0 ? layout.items!.firstPage : layout.items!.continuationPage;
        return inBox(p, c, area.row, area.rows);
      });
      expect(squeeze(band.map((t) => t.text).join('')), c.id).toBe(squeeze(items.map((it) => it[c.id] ?? '').join('')));
    }
  });

  it('continues the dados adicionais on further sheets marked "continua", Comboio\'s own texts included', () => {
    const f = layout.fields.find((x) => x.id === 'adicionais.complementares')!;
    const text = printed(pages, f);
    // The infCpl with Comboio's texts, then the notes of boxes too small for their values.
    expect(squeeze(text.replace(MARKER, ''))).toMatch(new RegExp(`^${squeeze(values['adicionais.complementares']!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\|\\(\\*\\)[^|]+)*$`));
    expect(text).toContain('FIM-DO-INFCPL');
    expect(text).toContain('ICMS monofásico retido anteriormente: R$ 123.456,78');
    // Every sheet but the last says where the text goes on.
    for (let i = 0; i < pages.length - 1; i++) expect(inBox(pages[i]!, f, i === 0 ? f.row : f.continuation!.row, 99).some((t) => t.text === `(CONTINUA NA FOLHA ${i + 2})`)).toBe(true);
    expect(rendered.pages).toBe(pages.length);
    expect(pages.length).toBeGreaterThan(2);
    // FOLHA n/m counts the extra sheets.
    for (const [i, p] of pages.entries()) expect(p.texts.some((t) => t.text === `${i + 1}/${pages.length}`)).toBe(true);
    const fisco = layout.fields.find((x) => x.id === 'adicionais.fisco')!;
    expect(squeeze(printed(pages, fisco).replace(MARKER, ''))).toBe(squeeze(d.informacoesFisco!));
  });

  it('a 1,912-character infCpl on a one-item note is no longer cut after 7 lines', () => {
    const one = danfeFixture({ items: 1 });
    one.informacoesComplementares = Array.from({ length: 200 }, (_, i) => `LINHA${i}`).join(' ').slice(0, 1912);
    one.totais.valorIcmsMonoRetido = '99.10';
    const dec = decodeEscp(renderDanfeEscp(one, layout).bytes).pages;
    const f = layout.fields.find((x) => x.id === 'adicionais.complementares')!;
    const text = printed(dec, f);
    expect(dec.length).toBeGreaterThan(1);
    expect(text).toContain('ICMS monofásico retido anteriormente: R$ 99,10');
    expect(squeeze(text.replace(MARKER, ''))).toBe(squeeze(danfeFormValues(one).values['adicionais.complementares']!));
  });
});

describe('item columns never run together (#22 item 24)', () => {
  it('leaves at least the minimum gap between every pair of item columns on the decoded page', () => {
    const d = maximalDanfe(2);
    d.itens.forEach((it) => {
      it.cfop = '6404';
      it.unidade = 'UN';
      it.cst = '0061';
    });
    const page = decodeEscp(renderDanfeEscp(d, layout).bytes).pages[0]!;
    const area = layout.items!.firstPage;
    const band = page.texts.filter((t) => rowOf(t.y) >= area.row && rowOf(t.y) < area.row + area.rows);
    const byRow = new Map<number, TextRun[]>();
    for (const t of band) byRow.set(t.y, [...(byRow.get(t.y) ?? []), t]);
    let pairs = 0;
    for (const runs of byRow.values()) {
      runs.sort((a, b) => a.x - b.x);
      for (let k = 1; k < runs.length; k++) {
        pairs++;
        expect(runs[k]!.x - right60(runs[k - 1]!), `${runs[k - 1]!.text}|${runs[k]!.text}`).toBeGreaterThanOrEqual(MIN_COLUMN_GAP_60THS - 0.5);
      }
    }
    expect(pairs).toBeGreaterThan(10);
    expect(page.texts.some((t) => /6404UN/.test(t.text))).toBe(false);
  });

  it('refuses a layout whose item columns touch, naming both', () => {
    const bad: FormLayout = JSON.parse(JSON.stringify(layout));
    const cfop = bad.items!.columns.find((c) => c.id === 'cfop')!;
    bad.items!.columns.find((c) => c.id === 'unidade')!.col = cfop.col + (cfop.width * 3.5) / 6 + 0.17;
    expect(() => validateLayout(bad)).toThrow(/colunas de item "cfop" e "unidade" a 0,4\d mm/);
  });
});
