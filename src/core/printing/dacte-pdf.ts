import PDFDocument from 'pdfkit';
import { code128cBars } from './code128';
import { fonts, LABEL_PT, M, PAGE_H, PAGE_W, W } from './danfe-pdf';
import type { DacteData, DacteParty } from './dacte-model';

type Doc = InstanceType<typeof PDFDocument>;

const VALUE_PT = 7;
const REGULAR = 'dacte-regular';
const BOLD = 'dacte-bold';

export interface DactePdfOptions {
  resourcesDir: string;
}

/**
 * DACTE, standard A4 layout (MOC CT-e, anexo do DACTE): header with the issuer, the DACTE box
 * (modelo, série, número, folha, emissão, modal), CODE-128C barcode of the key with quiet
 * zones and the protocol; tipo do CT-e / serviço, tomador, CFOP, início e fim da prestação;
 * remetente, destinatário, expedidor, recebedor and tomador; cargo; components of the price;
 * ICMS; documents carried; observations; rodoviário block; homologação and contingency marks.
 * Documents that do not fit continue on further pages, which repeat the header.
 */
class DactePdf {
  private readonly doc: Doc;
  private pages = 0;

  constructor(
    private readonly d: DacteData,
    opts: DactePdfOptions,
  ) {
    this.doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: `DACTE CT-e ${d.numero} série ${d.serie}`, Subject: d.chave, Producer: 'Comboio', Creator: 'Comboio' } });
    const f = fonts(opts.resourcesDir);
    this.doc.registerFont(REGULAR, f.regular);
    this.doc.registerFont(BOLD, f.bold);
  }

  private text(s: string | undefined, x: number, y: number, width: number, size = VALUE_PT, bold = false, align: 'left' | 'center' | 'right' = 'left') {
    if (!s) return;
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size).text(s, x, y, { width, align, lineBreak: false, ellipsis: true, height: size + 2 });
  }

  /** A labelled box; returns the y below it. */
  private box(label: string, value: string | undefined, x: number, y: number, w: number, h = 18, bold = false): number {
    this.doc.lineWidth(0.5).rect(x, y, w, h).stroke();
    this.text(label, x + 2, y + 1.5, w - 4, LABEL_PT);
    this.text(value, x + 2, y + 8, w - 4, VALUE_PT, bold);
    return y + h;
  }

  private title(label: string, y: number): number {
    this.doc.lineWidth(0.5).rect(M, y, W, 9).fillAndStroke('#eeeeee', '#000000').fillColor('#000000');
    this.text(label, M, y + 2, W, 6, true, 'center');
    return y + 9;
  }

  private barcode(digits: string, x: number, y: number, module: number, height: number) {
    const { bars } = code128cBars(digits);
    for (const [start, width] of bars) this.doc.rect(x + start * module, y, width * module, height).fill('#000000');
  }

  private header(): number {
    const d = this.d;
    const doc = this.doc;
    let y = M;
    // Issuer (left), DACTE box (middle), key and barcode (right).
    const left = 200;
    const mid = 130;
    const right = W - left - mid;
    doc.lineWidth(0.5).rect(M, y, left, 78).stroke();
    this.text(d.emitente.nome, M + 4, y + 6, left - 8, 9, true, 'center');
    this.text(d.emitente.endereco, M + 4, y + 22, left - 8, 6.5, false, 'center');
    this.text(`${d.emitente.municipio} - ${d.emitente.uf}  CEP ${d.emitente.cep}`, M + 4, y + 32, left - 8, 6.5, false, 'center');
    this.text(`CNPJ/CPF: ${d.emitente.documento}   IE: ${d.emitente.ie}`, M + 4, y + 44, left - 8, 6.5, false, 'center');
    if (d.emitente.fone) this.text(`Fone: ${d.emitente.fone}`, M + 4, y + 54, left - 8, 6.5, false, 'center');
    const mx = M + left;
    doc.rect(mx, y, mid, 78).stroke();
    this.text('DACTE', mx, y + 4, mid, 12, true, 'center');
    this.text('Documento Auxiliar do Conhecimento', mx, y + 19, mid, 5.5, false, 'center');
    this.text('de Transporte Eletrônico', mx, y + 26, mid, 5.5, false, 'center');
    this.text(`MODAL: ${d.modal}`, mx, y + 36, mid, 7, true, 'center');
    this.text(`MODELO ${d.modelo}  SÉRIE ${d.serie}`, mx, y + 47, mid, 7, false, 'center');
    this.text(`NÚMERO ${d.numero}`, mx, y + 57, mid, 7.5, true, 'center');
    this.text(`FOLHA ${this.pages}  EMISSÃO ${d.emissao}`, mx, y + 68, mid, 6, false, 'center');
    const rx = mx + mid;
    doc.rect(rx, y, right, 78).stroke();
    // 44 digits = 22 symbols; quiet zones of 10 modules each side are kept free inside the box.
    const { modules } = code128cBars(d.chave);
    const module = Math.min(0.95, (right - 12) / (modules + 20));
    this.barcode(d.chave, rx + (right - modules * module) / 2, y + 5, module, 30);
    this.text('CHAVE DE ACESSO', rx + 3, y + 38, right - 6, LABEL_PT);
    this.text(d.chaveFormatada, rx + 3, y + 45, right - 6, 7, true, 'center');
    this.text('Consulta em https://dfe-portal.svrs.rs.gov.br/cte', rx + 3, y + 55, right - 6, 5.5, false, 'center');
    this.text('PROTOCOLO DE AUTORIZAÇÃO DE USO', rx + 3, y + 63, right - 6, LABEL_PT);
    this.text(d.protocolo || 'CT-e NÃO AUTORIZADO', rx + 3, y + 69, right - 6, 7, true, 'center');
    y += 78;
    const q = W / 4;
    this.box('TIPO DO CT-E', d.tipoCte, M, y, q);
    this.box('TIPO DO SERVIÇO', d.tipoServico, M + q, y, q);
    this.box('TOMADOR DO SERVIÇO', d.tomadorPapel.toUpperCase(), M + 2 * q, y, q, 18, true);
    y = this.box('FORMA DE EMISSÃO', d.contingencia ? 'CONTINGÊNCIA' : 'NORMAL', M + 3 * q, y, q);
    y = this.box('CFOP - NATUREZA DA PRESTAÇÃO', d.cfopNatureza, M, y, W);
    this.box('INÍCIO DA PRESTAÇÃO', d.inicio, M, y, W / 2);
    return this.box('TÉRMINO DA PRESTAÇÃO', d.fim, M + W / 2, y, W / 2);
  }

  private party(label: string, p: DacteParty | undefined, x: number, y: number, w: number): number {
    const h = 44;
    this.doc.lineWidth(0.5).rect(x, y, w, h).stroke();
    this.text(label, x + 2, y + 1.5, w - 4, LABEL_PT);
    if (p) {
      this.text(p.nome, x + 2, y + 8, w - 4, 7, true);
      this.text(p.endereco, x + 2, y + 17, w - 4, 6);
      this.text(`${p.municipio} - ${p.uf}  CEP ${p.cep}`, x + 2, y + 25, w - 4, 6);
      this.text(`CNPJ/CPF: ${p.documento}   IE: ${p.ie}`, x + 2, y + 33, w - 4, 6);
    }
    return y + h;
  }

  private watermarks() {
    const d = this.d;
    const marks = [d.homologacao ? 'SEM VALOR FISCAL - HOMOLOGAÇÃO' : undefined, d.contingencia ? 'EMITIDO EM CONTINGÊNCIA' : undefined, d.protocolo ? undefined : 'NÃO AUTORIZADO'].filter(Boolean) as string[];
    marks.forEach((m, i) => {
      this.doc.save().rotate(-35, { origin: [PAGE_W / 2, PAGE_H / 2] }).fillColor('#c8c8c8').font(BOLD).fontSize(26);
      this.doc.text(m, 0, PAGE_H / 2 - 20 + i * 34, { width: PAGE_W, align: 'center', lineBreak: false });
      this.doc.restore().fillColor('#000000');
    });
  }

  private newPage(): number {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.pages++;
    this.watermarks();
    return this.header();
  }

  /** Documents carried, two columns; returns the ones that did not fit above `bottom`. */
  private documents(list: string[], y: number, bottom: number): { y: number; rest: string[] } {
    y = this.title('DOCUMENTOS ORIGINÁRIOS', y);
    const lineH = 9;
    const rows = Math.max(1, Math.floor((bottom - y - 4) / lineH));
    const fit = list.slice(0, rows * 2);
    const h = Math.ceil(Math.max(1, fit.length) / 2) * lineH + 4;
    this.doc.lineWidth(0.5).rect(M, y, W, h).stroke();
    fit.forEach((s, i) => this.text(s, M + 3 + (i % 2) * (W / 2), y + 3 + Math.floor(i / 2) * lineH, W / 2 - 6, 6.5));
    return { y: y + h, rest: list.slice(fit.length) };
  }

  render(): Promise<Buffer> {
    const d = this.d;
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((ok, fail) => {
      this.doc.on('end', () => ok(Buffer.concat(chunks)));
      this.doc.on('error', fail);
    });
    let y = this.newPage();
    const half = W / 2;
    this.party('REMETENTE', d.remetente, M, y, half);
    y = this.party('DESTINATÁRIO', d.destinatario, M + half, y, half);
    this.party('EXPEDIDOR', d.expedidor, M, y, half);
    y = this.party('RECEBEDOR', d.recebedor, M + half, y, half);
    y = this.party(`TOMADOR DO SERVIÇO (${d.tomadorPapel.toUpperCase()})`, d.tomador, M, y, W);

    const c3 = W / 3;
    this.box('PRODUTO PREDOMINANTE', d.produtoPredominante, M, y, c3, 18, true);
    this.box('OUTRAS CARACTERÍSTICAS DA CARGA', d.outrasCaracteristicas, M + c3, y, c3);
    y = this.box('VALOR TOTAL DA CARGA', d.valorCarga, M + 2 * c3, y, c3, 18, true);
    y = this.box('QUANTIDADE DA CARGA', d.quantidades.join('   '), M, y, W);

    y = this.title('COMPONENTES DO VALOR DA PRESTAÇÃO DO SERVIÇO', y);
    const comps = d.componentes.length ? d.componentes : [{ nome: '', valor: '' }];
    const cw = (W * 0.7) / 3;
    const compRows = Math.ceil(comps.length / 3);
    comps.forEach((c, i) => this.box(c.nome, c.valor, M + (i % 3) * cw, y + Math.floor(i / 3) * 18, cw));
    this.box('VALOR TOTAL DO SERVIÇO', d.valorTotal, M + 3 * cw, y, W - 3 * cw, 18, true);
    this.box('VALOR A RECEBER', d.valorReceber, M + 3 * cw, y + 18, W - 3 * cw, 18, true);
    y += Math.max(compRows, 2) * 18;

    y = this.title('INFORMAÇÕES RELATIVAS AO IMPOSTO', y);
    const c6 = W / 6;
    this.box('SITUAÇÃO TRIBUTÁRIA', d.icms.situacao, M, y, 2 * c6);
    this.box('BASE DE CÁLCULO', d.icms.base, M + 2 * c6, y, c6);
    this.box('ALÍQ. ICMS', d.icms.aliquota, M + 3 * c6, y, c6 / 2);
    this.box('VALOR ICMS', d.icms.valor, M + 3.5 * c6, y, c6);
    this.box('% RED. BC', d.icms.reducao, M + 4.5 * c6, y, c6 / 2);
    y = this.box('ICMS ST', d.icms.st, M + 5 * c6, y, c6);

    const observacoes = [...(d.homologacao ? ['CT-e EMITIDO EM AMBIENTE DE HOMOLOGAÇÃO - SEM VALOR FISCAL'] : []), ...(d.contingencia ? [d.contingencia] : []), ...d.observacoes];
    const obsH = 20 + 8 * Math.min(6, observacoes.length);
    const rodoH = 9 + 18;
    const docs = this.documents(d.documentos, y, PAGE_H - M - obsH - rodoH - 9);
    y = this.title('OBSERVAÇÕES', docs.y);
    this.doc.lineWidth(0.5).rect(M, y, W, obsH - 9).stroke();
    observacoes.slice(0, 6).forEach((o, i) => this.text(o, M + 3, y + 3 + i * 8, W - 6, 6.5));
    y += obsH - 9;
    y = this.title('INFORMAÇÕES ESPECÍFICAS DO MODAL RODOVIÁRIO - LEI 11.442/07', y);
    this.box('RNTRC DA EMPRESA', d.rntrc, M, y, W / 3, 18, true);
    this.box('CIOT', '', M + W / 3, y, W / 3);
    this.box('DATA PREVISTA DE ENTREGA', '', M + (2 * W) / 3, y, W / 3);

    let rest = docs.rest;
    while (rest.length > 0) {
      const next = this.documents(rest, this.newPage(), PAGE_H - M);
      rest = next.rest;
    }
    this.doc.end();
    return done;
  }
}

export function renderDactePdf(data: DacteData, opts: DactePdfOptions): Promise<Buffer> {
  return new DactePdf(data, opts).render();
}
