import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { formatChave } from '../fiscal/chave';
import { code128cBars } from './code128';
import { contingencyText, fsdaBarcodeData, isFsDa } from './contingency';
import type { DanfeData } from './danfe-model';
import { faturaResumo, homologacaoAviso, informacoesComplementares, itemValues, protocoloText } from './danfe-values';
import type { Values } from './form-engine';
import {
  formatAddressLine,
  formatCep,
  formatDate,
  formatDecimal,
  formatDocumento,
  formatModFrete,
  formatNumeroNota,
  formatTime,
  money,
} from './format';

type Doc = InstanceType<typeof PDFDocument>;

/** A4 portrait in points; 5 mm margins (the DACTE shares them). */
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const M = 14;
export const W = PAGE_W - 2 * M;
export const LABEL_PT = 5;
const VALUE_PT = 7.5;
const ITEM_PT = 6;
const ITEM_LINE = 7;
/** Smallest type a value is set in before it wraps to one more line. */
const MIN_PT = 4.5;
const TITLE_H = 9;
const ROW_H = 19;

const REGULAR = 'danfe-regular';
const BOLD = 'danfe-bold';

/**
 * Liberation Sans (GPLv2 with the font exception: embedding it does not put the document
 * under the GPL; see resources/fonts/LICENSE-Liberation.txt), metric-compatible with the
 * Arial/Helvetica DANFEs traditionally use. Read once per process.
 */
const fontCache = new Map<string, { regular: Buffer; bold: Buffer }>();
export function fonts(resourcesDir: string) {
  let f = fontCache.get(resourcesDir);
  if (!f) {
    f = {
      regular: readFileSync(join(resourcesDir, 'fonts', 'LiberationSans-Regular.ttf')),
      bold: readFileSync(join(resourcesDir, 'fonts', 'LiberationSans-Bold.ttf')),
    };
    fontCache.set(resourcesDir, f);
  }
  return f;
}

interface Column {
  id: string;
  label: string;
  width: number;
  align: 'left' | 'right' | 'center';
}

const COLUMNS: Column[] = [
  { id: 'codigo', label: 'CÓDIGO', width: 46, align: 'left' },
  { id: 'descricao', label: 'DESCRIÇÃO DO PRODUTO / SERVIÇO', width: 148, align: 'left' },
  { id: 'ncm', label: 'NCM/SH', width: 34, align: 'center' },
  { id: 'cst', label: 'O/CST', width: 20, align: 'center' },
  { id: 'cfop', label: 'CFOP', width: 20, align: 'center' },
  { id: 'unidade', label: 'UN', width: 16, align: 'center' },
  { id: 'quantidade', label: 'QUANT.', width: 40, align: 'right' },
  { id: 'valorUnitario', label: 'V. UNITÁRIO', width: 40, align: 'right' },
  { id: 'valorTotal', label: 'V. TOTAL', width: 44, align: 'right' },
  { id: 'baseIcms', label: 'BC ICMS', width: 42, align: 'right' },
  { id: 'valorIcms', label: 'V. ICMS', width: 38, align: 'right' },
  { id: 'valorIpi', label: 'V. IPI', width: 30, align: 'right' },
  { id: 'aliquotaIcms', label: 'ALÍQ. ICMS', width: 22, align: 'right' },
  { id: 'aliquotaIpi', label: 'ALÍQ. IPI', width: 27.28, align: 'right' },
];

export interface DanfePdfOptions {
  /** resources/ folder holding fonts/. */
  resourcesDir: string;
}

class DanfePdf {
  private readonly doc: Doc;
  private page = 0;
  private pages = 0;

  constructor(
    private readonly d: DanfeData,
    opts: DanfePdfOptions,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      autoFirstPage: false,
      bufferPages: false,
      info: { Title: `DANFE NF-e ${d.numero} série ${d.serie}`, Subject: d.chave, Producer: 'Comboio', Creator: 'Comboio' },
    });
    const f = fonts(opts.resourcesDir);
    this.doc.registerFont(REGULAR, f.regular);
    this.doc.registerFont(BOLD, f.bold);
  }

  /**
   * Text on one line inside `width`: a value too wide is set in a smaller size, never cut
   * or ellipsized (a digit or the end of a name dropped changes what the document says).
   */
  private put(text: string | undefined, x: number, y: number, width: number, size: number, opts: { bold?: boolean; align?: Column['align'] } = {}) {
    if (!text) return;
    const doc = this.doc;
    doc.font(opts.bold ? BOLD : REGULAR).fontSize(size);
    let w = doc.widthOfString(text);
    if (w > width) {
      doc.fontSize((size * width) / w);
      w = doc.widthOfString(text);
    }
    const dx = opts.align === 'right' ? width - w : opts.align === 'center' ? (width - w) / 2 : 0;
    doc.text(text, x + dx, y, { lineBreak: false });
  }

  /**
   * A value in a box of `height`: one line at `size` if it fits, else the smallest number of
   * wrapped lines at a size down to MIN_PT that the box holds, else as many lines as it
   * takes at MIN_PT (the box is then too small, but the value is whole).
   */
  private fitBox(text: string, width: number, height: number, size: number, bold = false): { size: number; lines: string[] } {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
    if (this.doc.widthOfString(text) <= width) return { size, lines: [text] };
    for (let n = 1; n <= 6; n++) {
      for (let sz = size; sz >= MIN_PT - 1e-9; sz -= 0.25) {
        if (n * sz * 1.15 > height + 1e-9) continue;
        const lines = this.wrap(text, width, sz, Number.MAX_SAFE_INTEGER, bold);
        if (lines.length <= n) return { size: sz, lines };
      }
    }
    return { size: MIN_PT, lines: this.wrap(text, width, MIN_PT, Number.MAX_SAFE_INTEGER, bold) };
  }

  /** Greedy word wrap by glyph widths. */
  private wrap(text: string, width: number, size: number, maxLines = 50, bold = false): string[] {
    const doc = this.doc;
    doc.font(bold ? BOLD : REGULAR).fontSize(size);
    const words = text.replace(/\s+/g, ' ').trim().split(' ');
    const lines: string[] = [];
    let line = '';
    const push = (l: string) => {
      lines.push(l);
      return lines.length === maxLines;
    };
    for (let word of words) {
      // A word wider than the line (a 60-character product code) is broken, not lost.
      while (doc.widthOfString(word) > width && word.length > 1) {
        if (line && push(line)) return lines;
        line = '';
        let n = word.length - 1;
        while (n > 1 && doc.widthOfString(word.slice(0, n)) > width) n--;
        if (push(word.slice(0, n))) return lines;
        word = word.slice(n);
      }
      const candidate = line ? `${line} ${word}` : word;
      if (line && doc.widthOfString(candidate) > width) {
        if (push(line)) return lines;
        line = word;
      } else line = candidate;
    }
    if (line) lines.push(line);
    return lines.slice(0, maxLines);
  }

  private cell(x: number, y: number, w: number, h: number, label: string, value?: string, opts: { bold?: boolean; align?: Column['align']; size?: number } = {}) {
    this.doc.rect(x, y, w, h).stroke();
    this.put(label, x + 1.5, y + 1.2, w - 3, LABEL_PT);
    if (!value) return;
    const size = opts.size ?? VALUE_PT;
    const fit = this.fitBox(value, w - 4, h - 7, size, opts.bold);
    const top = fit.lines.length === 1 ? y + h - fit.size - 2.5 : y + 6.5;
    fit.lines.forEach((l, i) => this.put(l, x + 2, top + i * fit.size * 1.15, w - 4, fit.size, opts));
  }

  /** A row of cells whose widths are fractions of the full width. */
  private row(y: number, cells: [label: string, value: string | undefined, fraction: number, opts?: { bold?: boolean; align?: Column['align'] }][], h = ROW_H) {
    let x = M;
    for (const [label, value, fraction, opts] of cells) {
      const w = fraction * W;
      this.cell(x, y, w, h, label, value, opts);
      x += w;
    }
    return y + h;
  }

  private title(y: number, text: string) {
    this.put(text, M, y + 2, W, 6, { bold: true });
    return y + TITLE_H;
  }

  private barcode(digits: string, x: number, y: number, module: number, height: number) {
    const { bars } = code128cBars(digits);
    for (const [start, width] of bars) this.doc.rect(x + start * module, y, width * module, height);
    this.doc.fill('black');
  }

  private canhoto(y: number) {
    const d = this.d;
    const right = 110;
    const h = 44;
    this.doc.rect(M, y, W - right, h / 2).stroke();
    const text = `RECEBEMOS DE ${d.emitente.nome} OS PRODUTOS E/OU SERVIÇOS CONSTANTES DA NOTA FISCAL ELETRÔNICA INDICADA AO LADO. EMISSÃO: ${formatDate(d.dhEmi)} VALOR TOTAL: R$ ${money(d.totais.valorNota)} DESTINATÁRIO: ${d.destinatario.nome}`;
    this.wrap(text, W - right - 4, 6, 2).forEach((l, i) => this.put(l, M + 2, y + 2.5 + i * 7.5, W - right - 4, 6));
    this.cell(M, y + h / 2, 110, h / 2, 'DATA DE RECEBIMENTO');
    this.cell(M + 110, y + h / 2, W - right - 110, h / 2, 'IDENTIFICAÇÃO E ASSINATURA DO RECEBEDOR');
    this.doc.rect(M + W - right, y, right, h).stroke();
    this.put('NF-e', M + W - right, y + 5, right, 10, { bold: true, align: 'center' });
    this.put(`Nº ${formatNumeroNota(d.numero)}`, M + W - right, y + 18, right, 9, { bold: true, align: 'center' });
    this.put(`SÉRIE ${d.serie}`, M + W - right, y + 30, right, 9, { bold: true, align: 'center' });
    const cut = y + h + 5;
    this.doc.save().dash(3, { space: 2 }).moveTo(M, cut).lineTo(M + W, cut).stroke().undash().restore();
    return cut + 5;
  }

  private header(y: number) {
    const d = this.d;
    const e = d.emitente;
    const h = 100;
    const emitW = 218;
    const danfeW = 96;
    const keyW = W - emitW - danfeW;
    this.doc.rect(M, y, emitW, h).stroke();
    this.put('IDENTIFICAÇÃO DO EMITENTE', M + 1.5, y + 1.2, emitW, LABEL_PT);
    const nameLines = this.wrap(e.nome, emitW - 8, 10, 2);
    nameLines.forEach((l, i) => this.put(l, M + 4, y + 14 + i * 12, emitW - 8, 10, { bold: true, align: 'center' }));
    const a = e.endereco;
    const lines = a
      ? [formatAddressLine(a), `${a.bairro} - ${formatCep(a.cep)}`, `${a.municipio} - ${a.uf}${a.fone ? ` - Fone: ${a.fone}` : ''}`]
      : [];
    // A long address (60-character street, number and complement) wraps in smaller type.
    let size = 7.5;
    let wrapped = lines.flatMap((l) => this.wrap(l, emitW - 8, size, Number.MAX_SAFE_INTEGER));
    while (wrapped.length * size * 1.3 > h - 48 && size > MIN_PT) {
      size -= 0.25;
      wrapped = lines.flatMap((l) => this.wrap(l, emitW - 8, size, Number.MAX_SAFE_INTEGER));
    }
    const step = Math.min(10, size * 1.3);
    wrapped.forEach((l, i) => this.put(l, M + 4, y + 46 + i * step, emitW - 8, size, { align: 'center' }));

    const dx = M + emitW;
    this.doc.rect(dx, y, danfeW, h).stroke();
    this.put('DANFE', dx, y + 4, danfeW, 13, { bold: true, align: 'center' });
    this.put('Documento Auxiliar da', dx, y + 20, danfeW, 6.5, { align: 'center' });
    this.put('Nota Fiscal Eletrônica', dx, y + 28, danfeW, 6.5, { align: 'center' });
    this.put('0 - ENTRADA', dx + 8, y + 40, 50, 6.5);
    this.put('1 - SAÍDA', dx + 8, y + 48, 50, 6.5);
    this.doc.rect(dx + danfeW - 26, y + 40, 16, 15).stroke();
    this.put(d.tpNF, dx + danfeW - 26, y + 43, 16, 10, { bold: true, align: 'center' });
    this.put(`Nº ${formatNumeroNota(d.numero)}`, dx, y + 62, danfeW, 8.5, { bold: true, align: 'center' });
    this.put(`SÉRIE ${d.serie}`, dx, y + 73, danfeW, 8.5, { bold: true, align: 'center' });
    this.put(`FOLHA ${this.page}/${this.pages}`, dx, y + 84, danfeW, 8, { align: 'center' });

    const kx = dx + danfeW;
    this.doc.rect(kx, y, keyW, 42).stroke();
    // 277 modules + 10-module quiet zones each side inside the box.
    const module = Math.min(0.85, (keyW - 8) / 297);
    const bw = 277 * module;
    this.barcode(d.chave, kx + (keyW - bw) / 2, y + 5, module, 32);
    this.cell(kx, y + 42, keyW, 20, 'CHAVE DE ACESSO', formatChave(d.chave), { bold: true, align: 'center', size: 8 });
    this.doc.rect(kx, y + 62, keyW, h - 62).stroke();
    this.put('Consulta de autenticidade no portal nacional da NF-e', kx, y + 68, keyW, 7, { align: 'center' });
    this.put('www.nfe.fazenda.gov.br/portal ou no site da Sefaz Autorizadora', kx, y + 78, keyW, 7, { align: 'center' });
    const aviso = homologacaoAviso(d);
    if (aviso) this.put(aviso, kx, y + 89, keyW, 6.5, { bold: true, align: 'center' });
    y += h;

    if (isFsDa(d)) {
      const data = fsdaBarcodeData(d);
      const fh = 40;
      this.cell(M, y, W - keyW, fh, 'NATUREZA DA OPERAÇÃO', d.naturezaOperacao);
      this.doc.rect(kx, y, keyW, fh).stroke();
      this.put('DADOS DA NF-E', kx + 1.5, y + 1.2, keyW, LABEL_PT);
      const m = Math.min(0.85, (keyW - 8) / 253);
      this.barcode(data, kx + (keyW - 233 * m) / 2, y + 8, m, 22);
      this.put(data.replace(/(.{4})(?=.)/g, '$1 '), kx, y + 31, keyW, 7, { align: 'center' });
      y += fh;
    } else {
      y = this.row(y, [
        ['NATUREZA DA OPERAÇÃO', d.naturezaOperacao, (W - keyW) / W],
        ['PROTOCOLO DE AUTORIZAÇÃO DE USO', protocoloText(d), keyW / W, { align: 'center' }],
      ]);
    }
    y = this.row(y, [
      ['INSCRIÇÃO ESTADUAL', e.ie, 1 / 3],
      ['INSC. ESTADUAL DO SUBST. TRIBUTÁRIO', e.ieSt, 1 / 3],
      ['CNPJ / CPF', formatDocumento(e.documento), 1 / 3],
    ]);
    const cont = contingencyText(d);
    if (cont) {
      this.doc.rect(M, y, W, 14).stroke();
      this.put(cont, M, y + 3.5, W, 7.5, { bold: true, align: 'center' });
      y += 14;
    }
    return y;
  }

  private destinatario(y: number) {
    const d = this.d;
    const dest = d.destinatario;
    const a = dest.endereco;
    y = this.title(y, 'DESTINATÁRIO / REMETENTE');
    y = this.row(y, [
      ['NOME / RAZÃO SOCIAL', dest.nome, 0.6],
      ['CNPJ / CPF', formatDocumento(dest.documento), 0.25],
      ['DATA DA EMISSÃO', formatDate(d.dhEmi), 0.15],
    ]);
    y = this.row(y, [
      ['ENDEREÇO', formatAddressLine(a), 0.47],
      ['BAIRRO / DISTRITO', a?.bairro, 0.25],
      ['CEP', formatCep(a?.cep), 0.13],
      ['DATA DA SAÍDA/ENTRADA', formatDate(d.dhSaiEnt), 0.15],
    ]);
    return this.row(y, [
      ['MUNICÍPIO', a?.municipio, 0.37],
      ['FONE / FAX', a?.fone, 0.2],
      ['UF', a?.uf, 0.05],
      ['INSCRIÇÃO ESTADUAL', dest.ie, 0.23],
      ['HORA DA SAÍDA/ENTRADA', formatTime(d.dhSaiEnt), 0.15],
    ]);
  }

  private fatura(y: number) {
    const d = this.d;
    y = this.title(y, 'FATURA / DUPLICATAS');
    if (d.duplicatas.length === 0) {
      return this.row(y, [['PAGAMENTO', faturaResumo(d).replace(/^PAGAMENTO: /, ''), 1]]);
    }
    const perRow = 7;
    const bw = W / perRow;
    d.duplicatas.forEach((dup, i) => {
      const x = M + (i % perRow) * bw;
      const yy = y + Math.floor(i / perRow) * 24;
      this.doc.rect(x, yy, bw, 24).stroke();
      this.put(`Núm.: ${dup.numero}`, x + 2, yy + 2, bw - 4, 6);
      this.put(`Venc.: ${formatDate(dup.vencimento)}`, x + 2, yy + 9, bw - 4, 6);
      this.put(`Valor: R$ ${money(dup.valor)}`, x + 2, yy + 16, bw - 4, 6);
    });
    return y + Math.ceil(d.duplicatas.length / perRow) * 24;
  }

  private imposto(y: number) {
    const t = this.d.totais;
    const r = { align: 'right' as const };
    y = this.title(y, 'CÁLCULO DO IMPOSTO');
    y = this.row(y, [
      ['BASE DE CÁLCULO DO ICMS', money(t.baseIcms), 0.2, r],
      ['VALOR DO ICMS', money(t.valorIcms), 0.2, r],
      ['BASE DE CÁLC. ICMS S.T.', money(t.baseIcmsSt), 0.2, r],
      ['VALOR DO ICMS SUBST.', money(t.valorIcmsSt), 0.2, r],
      ['VALOR TOTAL DOS PRODUTOS', money(t.valorProdutos), 0.2, r],
    ]);
    return this.row(y, [
      ['VALOR DO FRETE', money(t.valorFrete), 1 / 6, r],
      ['VALOR DO SEGURO', money(t.valorSeguro), 1 / 6, r],
      ['DESCONTO', money(t.valorDesconto), 1 / 6, r],
      ['OUTRAS DESPESAS', money(t.outrasDespesas), 1 / 6, r],
      ['VALOR TOTAL DO IPI', money(t.valorIpi), 1 / 6, r],
      ['VALOR TOTAL DA NOTA', money(t.valorNota), 1 / 6, { align: 'right', bold: true }],
    ]);
  }

  private transporte(y: number) {
    const t = this.d.transporte;
    const tr = t.transportador;
    const v = t.volumes[0];
    y = this.title(y, 'TRANSPORTADOR / VOLUMES TRANSPORTADOS');
    y = this.row(y, [
      ['NOME / RAZÃO SOCIAL', tr?.nome, 0.32],
      ['FRETE POR CONTA', formatModFrete(t.modalidade), 0.2],
      ['CÓDIGO ANTT', t.rntc, 0.12],
      ['PLACA DO VEÍCULO', t.placa, 0.11],
      ['UF', t.ufVeiculo, 0.05],
      ['CNPJ / CPF', formatDocumento(tr?.documento), 0.2],
    ]);
    y = this.row(y, [
      ['ENDEREÇO', tr?.endereco ? formatAddressLine(tr.endereco) : undefined, 0.44],
      ['MUNICÍPIO', tr?.endereco?.municipio, 0.31],
      ['UF', tr?.endereco?.uf, 0.05],
      ['INSCRIÇÃO ESTADUAL', tr?.ie, 0.2],
    ]);
    const r = { align: 'right' as const };
    return this.row(y, [
      ['QUANTIDADE', v?.quantidade, 0.12, r],
      ['ESPÉCIE', v?.especie, 0.2],
      ['MARCA', v?.marca, 0.18],
      ['NUMERAÇÃO', v?.numeracao, 0.14],
      ['PESO BRUTO', formatDecimal(v?.pesoBruto, 3), 0.18, r],
      ['PESO LÍQUIDO', formatDecimal(v?.pesoLiquido, 3), 0.18, r],
    ]);
  }

  private itemsHeader(y: number) {
    y = this.title(y, 'DADOS DOS PRODUTOS / SERVIÇOS');
    let x = M;
    this.doc.rect(M, y, W, 14).stroke();
    for (const c of COLUMNS) {
      const lines = this.wrap(c.label, c.width - 2, LABEL_PT, 2);
      lines.forEach((l, i) => this.put(l, x + 1, y + 2 + i * 5.5, c.width - 2, LABEL_PT, { align: 'center' }));
      x += c.width;
    }
    return y + 14;
  }

  private itemRows(y: number, rows: PreparedItem[], bottom: number) {
    let yy = y + 1.5;
    for (const r of rows) {
      let x = M;
      for (const c of COLUMNS) {
        const wrapped = r.wrapped[c.id];
        if (wrapped) wrapped.forEach((l, i) => this.put(l, x + 1.5, yy + i * ITEM_LINE, c.width - 3, ITEM_PT));
        else this.put(r.values[c.id], x + 1.5, yy, c.width - 3, ITEM_PT, { align: c.align });
        x += c.width;
      }
      yy += r.height;
    }
    this.doc.rect(M, y, W, bottom - y).stroke();
    let x = M;
    for (const c of COLUMNS.slice(0, -1)) {
      x += c.width;
      this.doc.moveTo(x, y).lineTo(x, bottom);
    }
    this.doc.stroke();
  }

  /** Lines of the dados adicionais, whole: what the first sheet's box lacks room for continues. */
  private adicionaisLines(): { comp: string[]; fisco: string[] } {
    const leftW = W * ADIC_LEFT;
    return {
      comp: this.wrap(informacoesComplementares(this.d), leftW - 4, 6, Number.MAX_SAFE_INTEGER),
      fisco: this.d.informacoesFisco ? this.wrap(this.d.informacoesFisco, W - leftW - 4, 6, Number.MAX_SAFE_INTEGER) : [],
    };
  }

  /** The dados adicionais box; `comp`/`fisco` are the lines for this sheet (already split). */
  private adicionais(y: number, h: number, comp: string[], fisco: string[], title = 'DADOS ADICIONAIS') {
    y = this.title(y, title);
    const leftW = W * ADIC_LEFT;
    this.doc.rect(M, y, leftW, h).stroke();
    this.doc.rect(M + leftW, y, W - leftW, h).stroke();
    this.put('INFORMAÇÕES COMPLEMENTARES', M + 1.5, y + 1.2, leftW, LABEL_PT);
    this.put('RESERVADO AO FISCO', M + leftW + 1.5, y + 1.2, W - leftW, LABEL_PT);
    comp.forEach((l, i) => this.put(l, M + 2, y + 8 + i * 7, leftW - 4, 6));
    fisco.forEach((l, i) => this.put(l, M + leftW + 2, y + 8 + i * 7, W - leftW - 4, 6));
  }

  private watermark() {
    const aviso = homologacaoAviso(this.d);
    if (!aviso) return;
    this.doc.save().rotate(-35, { origin: [PAGE_W / 2, PAGE_H / 2] }).fillColor('#c8c8c8').font(BOLD).fontSize(30);
    this.doc.text('SEM VALOR FISCAL', PAGE_W / 2 - 150, PAGE_H / 2 - 15, { lineBreak: false });
    this.doc.restore();
    this.doc.fillColor('black');
  }

  render(): Promise<Buffer> {
    const doc = this.doc;
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((ok, fail) => {
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => ok(Buffer.concat(chunks)));
      doc.on('error', fail);
    });

    const items = this.prepareItems();
    // First page: every block; continuation pages: header + products only (Manual do DANFE).
    const addPage = () => {
      doc.addPage({ size: 'A4', margin: 0 });
      doc.lineWidth(0.5);
      this.page++;
      this.watermark();
    };
    const bottom = PAGE_H - M;
    const adicionaisH = 64;
    // Layout is deterministic, so plan pages first to know FOLHA n/m.
    const firstStart = this.measureFirstPageTop();
    const contStart = this.measureHeaderBottom() + TITLE_H + 14;
    const firstCapacity = bottom - TITLE_H - adicionaisH - 2 - firstStart;
    const contCapacity = bottom - contStart;
    const plan: PreparedItem[][] = [[]];
    let used = 0;
    let cap = firstCapacity;
    for (const it of items) {
      if (used + it.height > cap - 3 && plan[plan.length - 1]!.length > 0) {
        plan.push([]);
        used = 0;
        cap = contCapacity;
      }
      plan[plan.length - 1]!.push(it);
      used += it.height;
    }
    // Dados adicionais too long for the first sheet continue on sheets after the items'.
    const adic = this.adicionaisLines();
    const contAdicH = bottom - this.measureHeaderBottom() - TITLE_H;
    const firstRoom = linesIn(adicionaisH);
    const room = linesIn(contAdicH);
    const comp = splitContinued(adic.comp, firstRoom, room, plan.length + 1);
    const fisco = splitContinued(adic.fisco, firstRoom, room, plan.length + 1);
    const extra = Math.max(comp.length, fisco.length) - 1;
    this.pages = plan.length + extra;

    plan.forEach((rows, i) => {
      addPage();
      let y = M;
      if (i === 0) {
        y = this.canhoto(y);
        y = this.header(y);
        y = this.destinatario(y);
        y = this.fatura(y);
        y = this.imposto(y);
        y = this.transporte(y);
        y = this.itemsHeader(y);
        const itemsBottom = bottom - TITLE_H - adicionaisH - 2;
        this.itemRows(y, rows, itemsBottom);
        this.adicionais(itemsBottom + 2, adicionaisH, comp[0]!, fisco[0] ?? []);
      } else {
        y = this.header(y);
        y = this.itemsHeader(y);
        this.itemRows(y, rows, bottom);
      }
    });
    for (let k = 1; k <= extra; k++) {
      addPage();
      const y = this.header(M);
      this.adicionais(y, bottom - y - TITLE_H, comp[k] ?? [], fisco[k] ?? [], `DADOS ADICIONAIS (CONTINUAÇÃO DA FOLHA ${plan.length + k - 1})`);
    }
    doc.end();
    return done;
  }

  private headerHeight(): number {
    return 100 + (isFsDa(this.d) ? 40 : ROW_H) + ROW_H + (contingencyText(this.d) ? 14 : 0);
  }

  private measureHeaderBottom(): number {
    return M + this.headerHeight();
  }

  private measureFirstPageTop(): number {
    const dups = this.d.duplicatas.length;
    const fatura = TITLE_H + (dups === 0 ? ROW_H : Math.ceil(dups / 7) * 24);
    return M + 54 + this.headerHeight() + (TITLE_H + 3 * ROW_H) + fatura + (TITLE_H + 2 * ROW_H) + (TITLE_H + 3 * ROW_H) + TITLE_H + 14;
  }

  private prepareItems(): PreparedItem[] {
    return this.d.itens.map((item) => {
      const values = itemValues(item);
      // Description (with infAdProd) and code wrap over as many lines as they need.
      const wrapped: Record<string, string[]> = {};
      for (const id of WRAPPED_COLUMNS) wrapped[id] = this.wrap(values[id] ?? '', COLUMNS.find((c) => c.id === id)!.width - 3, ITEM_PT, Number.MAX_SAFE_INTEGER);
      const lines = Math.max(1, ...Object.values(wrapped).map((l) => l.length));
      return { values, wrapped, height: lines * ITEM_LINE + 1.5 };
    });
  }
}

const WRAPPED_COLUMNS = ['codigo', 'descricao'];
/** Share of the width the informações complementares take in the dados adicionais. */
const ADIC_LEFT = 0.65;
const linesIn = (h: number) => Math.floor((h - 9) / 7);

/**
 * Splits the dados adicionais over sheets: `firstRoom` lines on the first sheet, `room` on
 * each continuation sheet; a sheet the text goes on from ends with where it continues.
 */
export function splitContinued(lines: string[], firstRoom: number, room: number, firstContinuationSheet: number): string[][] {
  const out: string[][] = [];
  let rest = lines;
  let sheet = 0;
  while (rest.length > 0 || out.length === 0) {
    const cap = out.length === 0 ? firstRoom : room;
    if (rest.length <= cap) {
      out.push(rest);
      break;
    }
    out.push([...rest.slice(0, cap - 1), `(CONTINUA NA FOLHA ${firstContinuationSheet + sheet})`]);
    rest = rest.slice(cap - 1);
    sheet++;
  }
  return out;
}

interface PreparedItem {
  values: Values;
  wrapped: Record<string, string[]>;
  height: number;
}

/**
 * DANFE retrato on A4 (Manual de Orientação do Contribuinte, anexo II block order):
 * canhoto, header with the key's CODE-128C as vector bars, destinatário, fatura, imposto,
 * transporte, produtos, dados adicionais; continuation pages repeat the header.
 */
export function renderDanfePdf(data: DanfeData, opts: DanfePdfOptions): Promise<Buffer> {
  return new DanfePdf(data, opts).render();
}
