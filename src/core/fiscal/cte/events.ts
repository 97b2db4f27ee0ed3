import { createHash } from 'node:crypto';
import { isValidChave, parseChave } from '../chave';
import { FiscalErrors, fiscalError } from '../errors';
import { normalizeFiscalText } from '../events';
import { assertSchemaValid, type SchemaEngine } from '../schema-validate';
import { escapeText } from '../xml';
import { CTE_NAMESPACE } from './model';

/**
 * CT-e 4.00 events (eventoCTe 4.00): 110111 cancelamento, 110110 carta de correção,
 * 110180 comprovante de entrega, 110181 its cancellation, 610110 prestação em desacordo.
 * These build the unsigned `<eventoCTe>`; sign it over infEvento (Signature right after it).
 */

export const CTE_EVENTO = {
  cancelamento: '110111',
  cartaCorrecao: '110110',
  comprovanteEntrega: '110180',
  cancelamentoComprovante: '110181',
  desacordo: '610110',
  /** EPEC (MOC CT-e 4.00): registered by the UF's SVC before the CT-e itself (tpEmis 4). */
  epec: '110113',
} as const;
export type CteTpEvento = (typeof CTE_EVENTO)[keyof typeof CTE_EVENTO];

export const CTE_EVENTO_LABEL: Record<string, string> = {
  '110111': 'Cancelamento',
  '110110': 'Carta de correção',
  '110180': 'Comprovante de entrega',
  '110181': 'Cancelamento do comprovante de entrega',
  '610110': 'Prestação em desacordo',
  '110113': 'EPEC',
};

/** The detail element and its XSD, per event type. */
const DETAIL: Record<CteTpEvento, { tag: string; xsd: string }> = {
  '110111': { tag: 'evCancCTe', xsd: 'evCancCTe_v4.00.xsd' },
  '110110': { tag: 'evCCeCTe', xsd: 'evCCeCTe_v4.00.xsd' },
  '110180': { tag: 'evCECTe', xsd: 'evCECTe_v4.00.xsd' },
  '110181': { tag: 'evCancCECTe', xsd: 'evCancCECTe_v4.00.xsd' },
  '610110': { tag: 'evPrestDesacordo', xsd: 'evPrestDesacordo_v4.00.xsd' },
  '110113': { tag: 'evEPECCTe', xsd: 'evEPECCTe_v4.00.xsd' },
};

/** The fixed text evCCeCTe_v4.00.xsd enumerates (accented variant). */
export const CTE_CCE_COND_USO =
  'A Carta de Correção é disciplinada pelo Art. 58-B do CONVÊNIO/SINIEF 06/89: Fica permitida a utilização de carta de correção, para regularização de erro ocorrido na emissão de documentos fiscais relativos à prestação de serviço de transporte, desde que o erro não esteja relacionado com: I - as variáveis que determinam o valor do imposto tais como: base de cálculo, alíquota, diferença de preço, quantidade, valor da prestação;II - a correção de dados cadastrais que implique mudança do emitente, tomador, remetente ou do destinatário;III - a data de emissão ou de saída.';

export const CTE_MAX_SEQ = 20;
/** Prestação em desacordo: up to 45 days after the authorization (MOC CT-e, evento 610110). */
export const DESACORDO_DAYS = 45;

export interface CteEventoBase {
  /** UF code of the authorizer. */
  cOrgao: string;
  tpAmb: '1' | '2';
  /** Author: the emitente (the tomador for desacordo). CNPJ (14) or CPF (11). */
  autor: string;
  chCTe: string;
  dhEvento: string;
  nSeqEvento: number;
}

/** Id = "ID" + tpEvento + chave + nSeqEvento in 3 digits (53 digits, eventoCTe 4.00). */
export function cteEventoId(tpEvento: string, chCTe: string, nSeqEvento: number): string {
  return `ID${tpEvento}${chCTe}${String(nSeqEvento).padStart(3, '0')}`;
}

function checkBase(b: CteEventoBase): void {
  if (!isValidChave(b.chCTe) || parseChave(b.chCTe).mod !== '57') throw fiscalError(FiscalErrors.CHAVE_INVALID, `Chave de CT-e inválida: ${b.chCTe}.`, 'chCTe');
  if (!Number.isInteger(b.nSeqEvento) || b.nSeqEvento < 1 || b.nSeqEvento > CTE_MAX_SEQ) {
    throw fiscalError(FiscalErrors.XML_INVALID, `Sequência do evento deve estar entre 1 e ${CTE_MAX_SEQ}.`, 'nSeqEvento');
  }
  if (!/^\d{2}$/.test(b.cOrgao)) throw fiscalError(FiscalErrors.XML_INVALID, `Órgão do evento inválido: ${b.cOrgao}.`, 'cOrgao');
  if (!/^(\d{14}|\d{11})$/.test(b.autor)) throw fiscalError(FiscalErrors.XML_INVALID, `CNPJ/CPF do autor do evento inválido: ${b.autor}.`, 'autor');
}

function protField(nProt: string, field: string, what: string): string {
  if (!/^\d{15}$/.test(nProt)) throw fiscalError(FiscalErrors.XML_INVALID, `Protocolo ${what} inválido: ${nProt}.`, field);
  return nProt;
}

/** An eventoCTe of `tpEvento` around the detail group's inner XML (already escaped). */
export function buildCteEvento(b: CteEventoBase, tpEvento: CteTpEvento, inner: string): string {
  checkBase(b);
  const autorTag = b.autor.length === 11 ? 'CPF' : 'CNPJ';
  const tag = DETAIL[tpEvento].tag;
  return (
    `<eventoCTe xmlns="${CTE_NAMESPACE}" versao="4.00"><infEvento Id="${cteEventoId(tpEvento, b.chCTe, b.nSeqEvento)}">` +
    `<cOrgao>${b.cOrgao}</cOrgao><tpAmb>${b.tpAmb}</tpAmb><${autorTag}>${b.autor}</${autorTag}><chCTe>${b.chCTe}</chCTe>` +
    `<dhEvento>${b.dhEvento}</dhEvento><tpEvento>${tpEvento}</tpEvento><nSeqEvento>${b.nSeqEvento}</nSeqEvento>` +
    `<detEvento versaoEvento="4.00"><${tag}>${inner}</${tag}></detEvento></infEvento></eventoCTe>`
  );
}

/** 110111: protocol of the authorization and a justificativa of 15–255 characters. */
export function buildCteCancelamento(b: Omit<CteEventoBase, 'nSeqEvento'> & { nProt: string; xJust: string }): string {
  const xJust = normalizeFiscalText(b.xJust, 'xJust', 'A justificativa do cancelamento', 15, 255);
  return buildCteEvento({ ...b, nSeqEvento: 1 }, CTE_EVENTO.cancelamento, `<descEvento>Cancelamento</descEvento><nProt>${protField(b.nProt, 'nProt', 'de autorização')}</nProt><xJust>${escapeText(xJust)}</xJust>`);
}

/** One structured correction of the CT-e CC-e: group and field of the CT-e, new value, item. */
export interface InfCorrecao {
  grupoAlterado: string;
  campoAlterado: string;
  valorAlterado: string;
  nroItemAlterado?: number;
}

/** Fields a CC-e cannot change (values, taxes, parties, dates: Art. 58-B of Convênio SINIEF 06/89). */
const CCE_FORBIDDEN = /^(vPrest|imp|ICMS\d*|ICMSSN|ICMSOutraUF|emit|rem|dest|exped|receb|toma3|toma4)$/;
const CCE_FORBIDDEN_FIELDS = /^(vTPrest|vRec|vComp|vBC|pICMS|vICMS|CNPJ|CPF|dhEmi|vCarga|qCarga)$/;

function correctionKey(c: InfCorrecao): string {
  return `${c.grupoAlterado}/${c.campoAlterado}/${c.nroItemAlterado ?? ''}`;
}

/**
 * The corrections of the next CC-e: the latest CC-e replaces the earlier ones, so it carries
 * every earlier correction plus the new ones (a new value for the same group/field/item wins).
 */
export function cumulativeCorrections(previous: InfCorrecao[], next: InfCorrecao[]): InfCorrecao[] {
  const byKey = new Map<string, InfCorrecao>();
  for (const c of [...previous, ...next]) byKey.set(correctionKey(c), c);
  return [...byKey.values()];
}

/** 110110: structured infCorrecao groups (grupo, campo, valor, item). */
export function buildCteCartaCorrecao(b: CteEventoBase & { correcoes: InfCorrecao[] }): string {
  if (!Array.isArray(b.correcoes) || b.correcoes.length === 0) throw fiscalError(FiscalErrors.XML_INVALID, 'Informe ao menos uma correção.', 'correcoes');
  const groups = b.correcoes.map((c, i) => {
    const f = `correcoes[${i}]`;
    const grupo = normalizeFiscalText(c.grupoAlterado ?? '', `${f}.grupoAlterado`, 'O grupo alterado', 1, 20);
    const campo = normalizeFiscalText(c.campoAlterado ?? '', `${f}.campoAlterado`, 'O campo alterado', 1, 20);
    if (CCE_FORBIDDEN.test(grupo) || CCE_FORBIDDEN_FIELDS.test(campo)) {
      throw fiscalError(
        FiscalErrors.XML_INVALID,
        `A carta de correção não pode alterar ${grupo}/${campo}: valores, impostos, partes do CT-e e datas não se corrigem por CC-e (Art. 58-B do Convênio SINIEF 06/89).`,
        `${f}.campoAlterado`,
      );
    }
    const valor = normalizeFiscalText(c.valorAlterado ?? '', `${f}.valorAlterado`, 'O valor corrigido', 1, 500);
    const item = c.nroItemAlterado;
    if (item !== undefined && (!Number.isInteger(item) || item < 1 || item > 99)) throw fiscalError(FiscalErrors.XML_INVALID, 'O item alterado deve estar entre 1 e 99.', `${f}.nroItemAlterado`);
    return `<infCorrecao><grupoAlterado>${escapeText(grupo)}</grupoAlterado><campoAlterado>${escapeText(campo)}</campoAlterado><valorAlterado>${escapeText(valor)}</valorAlterado>${item === undefined ? '' : `<nroItemAlterado>${String(item).padStart(2, '0')}</nroItemAlterado>`}</infCorrecao>`;
  });
  return buildCteEvento(b, CTE_EVENTO.cartaCorrecao, `<descEvento>Carta de Correção</descEvento>${groups.join('')}<xCondUso>${CTE_CCE_COND_USO}</xCondUso>`);
}

/**
 * hashEntrega (NT 2019.001): base64 of the SHA-1 of the CT-e key followed by the base64 of
 * the captured image (photo or scan of the signed canhoto).
 */
export function hashEntrega(chave: string, imageBase64: string): string {
  return createHash('sha1').update(chave + imageBase64, 'utf8').digest('base64');
}

export interface ComprovanteEntrega {
  /** Protocol of the CT-e authorization. */
  nProt: string;
  dhEntrega: string;
  /** Document (CPF, RG…) of who received, 2–20 characters. */
  nDoc: string;
  xNome: string;
  latitude?: string;
  longitude?: string;
  /** The image as base64 (what is hashed); the file itself stays with the document. */
  imageBase64: string;
  dhHashEntrega: string;
  /** NF-e delivered (the CT-e's infNFe keys). */
  chavesNFe?: string[];
}

/** 110180: comprovante de entrega; the emitente is the author. */
export function buildComprovanteEntrega(b: CteEventoBase & ComprovanteEntrega): string {
  const nDoc = normalizeFiscalText(b.nDoc, 'nDoc', 'O documento de quem recebeu', 2, 20);
  const xNome = normalizeFiscalText(b.xNome, 'xNome', 'O nome de quem recebeu', 2, 60);
  if (!b.imageBase64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b.imageBase64)) throw fiscalError(FiscalErrors.XML_INVALID, 'Anexe a imagem do comprovante (canhoto assinado ou foto).', 'imagem');
  const coord = (v: string | undefined, max: number, what: string) => {
    if (v === undefined) return '';
    if (!/^-?\d{1,3}\.\d{6}$/.test(v) || Math.abs(Number(v)) > max) throw fiscalError(FiscalErrors.XML_INVALID, `${what} inválida: ${v} (graus com 6 casas decimais).`, what.toLowerCase());
    return v;
  };
  const lat = coord(b.latitude, 90, 'Latitude');
  const lon = coord(b.longitude, 180, 'Longitude');
  if ((lat === '') !== (lon === '')) throw fiscalError(FiscalErrors.XML_INVALID, 'Informe latitude e longitude juntas.', 'latitude');
  const nfes = (b.chavesNFe ?? []).map((k) => {
    if (!isValidChave(k)) throw fiscalError(FiscalErrors.CHAVE_INVALID, `Chave de NF-e inválida: ${k}.`, 'chavesNFe');
    return `<infEntrega><chNFe>${k}</chNFe></infEntrega>`;
  });
  return buildCteEvento(
    b,
    CTE_EVENTO.comprovanteEntrega,
    `<descEvento>Comprovante de Entrega do CT-e</descEvento><nProt>${protField(b.nProt, 'nProt', 'de autorização')}</nProt><dhEntrega>${b.dhEntrega}</dhEntrega>` +
      `<nDoc>${escapeText(nDoc)}</nDoc><xNome>${escapeText(xNome)}</xNome>${lat ? `<latitude>${lat}</latitude><longitude>${lon}</longitude>` : ''}` +
      `<hashEntrega>${hashEntrega(b.chCTe, b.imageBase64)}</hashEntrega><dhHashEntrega>${b.dhHashEntrega}</dhHashEntrega>${nfes.join('')}`,
  );
}

/** 110181: cancels a registered comprovante de entrega (nProtCE = its event protocol). */
export function buildCancelamentoComprovante(b: CteEventoBase & { nProt: string; nProtCE: string }): string {
  return buildCteEvento(
    b,
    CTE_EVENTO.cancelamentoComprovante,
    `<descEvento>Cancelamento do Comprovante de Entrega do CT-e</descEvento><nProt>${protField(b.nProt, 'nProt', 'de autorização')}</nProt><nProtCE>${protField(b.nProtCE, 'nProtCE', 'do comprovante de entrega')}</nProtCE>`,
  );
}

/** 610110: the tomador declares the service in disagreement (observation 15–255). */
export function buildDesacordo(b: CteEventoBase & { xObs: string }): string {
  const xObs = normalizeFiscalText(b.xObs, 'xObs', 'A observação do desacordo', 15, 255);
  return buildCteEvento(b, CTE_EVENTO.desacordo, `<descEvento>Prestação do Serviço em Desacordo</descEvento><indDesacordoOper>1</indDesacordoOper><xObs>${escapeText(xObs)}</xObs>`);
}

/** Validates an eventoCTe: the envelope schema and, inside detEvento (xs:any), the event's own schema. */
export function assertCteEventoValid(xml: string, schemasDir: string, engine?: SchemaEngine): void {
  const opts = { schemasDir, layout: 'PL_CTe_400' as const, ...(engine ? { engine } : {}) };
  assertSchemaValid(xml, { ...opts, schemaFile: 'eventoCTe_v4.00.xsd' });
  const tp = xml.match(/<tpEvento>(\d{6})<\/tpEvento>/)?.[1] as CteTpEvento | undefined;
  const detail = tp ? DETAIL[tp] : undefined;
  if (!detail) throw fiscalError(FiscalErrors.XML_INVALID, `Tipo de evento de CT-e não suportado: ${tp ?? '(ausente)'}.`);
  const inner = xml.match(new RegExp(`<${detail.tag}>[\\s\\S]*?</${detail.tag}>`))?.[0];
  if (!inner) throw fiscalError(FiscalErrors.XML_INVALID, `Evento ${tp} sem o grupo ${detail.tag}.`);
  assertSchemaValid(inner.replace(`<${detail.tag}>`, `<${detail.tag} xmlns="${CTE_NAMESPACE}">`), { ...opts, schemaFile: detail.xsd });
}

/** The tpEvento's detail XSD, for the simulator's check. */
export function cteEventoDetail(tpEvento: string): { tag: string; xsd: string } | undefined {
  return DETAIL[tpEvento as CteTpEvento];
}
