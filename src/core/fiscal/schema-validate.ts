import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XmlDocument, XmlLibError, XsdValidator, type ErrorDetail } from 'libxml2-wasm';
import { xmlRegisterFsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { AppError } from '../errors';
import { FiscalErrors, fiscalError } from './errors';
import { fieldLabel } from './field-labels';

export type NfeLayout = 'PL_009_V4' | 'PL_010_V1.30';
export const NFE_LAYOUTS: readonly NfeLayout[] = ['PL_009_V4', 'PL_010_V1.30'];
/** CT-e 4.00 package; its schemas live under `cte/` in the schema root. */
export type CteLayout = 'PL_CTe_400';
export type SchemaLayout = NfeLayout | CteLayout;

export interface SchemaIssue {
  /** Element path inside the document, e.g. "NFe/infNFe/det[3]/prod/qCom". */
  path: string;
  /** The element or attribute named by the validator. */
  element: string;
  /** pt-BR, ready for the user. */
  message: string;
  /** The validator's original English text, for support. */
  raw: string;
}

export interface SchemaResult {
  valid: boolean;
  issues: SchemaIssue[];
  schemaFile: string;
}

export type SchemaEngine = 'wasm' | 'xmllint';

/** The XSD that validates each root element the fiscal core writes or reads. */
const ROOT_SCHEMAS: Record<string, string> = {
  NFe: 'nfe_v4.00.xsd',
  nfeProc: 'procNFe_v4.00.xsd',
  enviNFe: 'enviNFe_v4.00.xsd',
  inutNFe: 'inutNFe_v4.00.xsd',
  envEvento: 'envEvento_v1.00.xsd',
  CTe: 'cte_v4.00.xsd',
  cteProc: 'procCTe_v4.00.xsd',
  eventoCTe: 'eventoCTe_v4.00.xsd',
  procEventoCTe: 'procEventoCTe_v4.00.xsd',
};

/**
 * Finds an XSD inside the configured schema folder. Accepts the folder of one package
 * (…/PL_009_V4), or a root holding packages by layout (…/PL_009_V4 or …/nfe/PL_009_V4).
 */
export function resolveSchemaFile(schemasDir: string, layout: SchemaLayout, file: string): string {
  const family = layout === 'PL_CTe_400' ? 'cte' : 'nfe';
  const candidates = [join(schemasDir, family, layout, file), join(schemasDir, layout, file), join(schemasDir, file)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw fiscalError(
      FiscalErrors.SCHEMA_UNAVAILABLE,
      `Schema ${file} do pacote ${layout} não encontrado em ${schemasDir}. Instale o pacote de schemas oficial e configure a pasta.`,
    );
  }
  return resolve(found);
}

let fsProvidersRegistered = false;
const validators = new Map<string, XsdValidator>();

function wasmValidator(xsdPath: string): XsdValidator {
  let v = validators.get(xsdPath);
  if (v) return v;
  if (!fsProvidersRegistered) {
    // xs:include / xs:import are resolved relative to the XSD's url through node:fs.
    xmlRegisterFsInputProviders();
    fsProvidersRegistered = true;
  }
  const xsdDoc = XmlDocument.fromBuffer(readFileSync(xsdPath), { url: xsdPath });
  try {
    v = XsdValidator.fromDoc(xsdDoc);
  } finally {
    xsdDoc.dispose();
  }
  validators.set(xsdPath, v);
  return v;
}

function rootElementName(xml: string): string {
  const m = xml.match(/<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/g);
  const first = m?.find((t) => !t.startsWith('<?') && !t.startsWith('<!'));
  return first?.replace(/^<(?:[\w.-]*:)?/, '').replace(/[\s/>]$/, '') ?? '';
}

/** Breaks lines between tags so the validator's line numbers point to one element each. */
function oneElementPerLine(xml: string): string {
  return xml.replace(/>(?=<)/g, (_m, offset: number, whole: string) => {
    // "<tag></tag>": keep empty elements empty, a newline would become their content.
    const next = whole.startsWith('</', offset + 1);
    const prevStart = whole.lastIndexOf('<', offset);
    const prevIsStart = whole[prevStart + 1] !== '/' && whole[offset - 1] !== '/';
    return next && prevIsStart ? '>' : '>\n';
  });
}

function pathOfLine(splitXml: string, line: number): string {
  const lines = splitXml.split('\n');
  const stack: Array<{ name: string; counts: Map<string, number>; index: number }> = [{ name: '', counts: new Map(), index: 0 }];
  let at = '';
  for (let i = 0; i < lines.length && i < line; i++) {
    for (const tag of lines[i]!.matchAll(/<(\/?)(?:[\w.-]+:)?([\w.-]+)[^>]*?(\/?)>/g)) {
      const [, closing, name, selfClosing] = tag as unknown as [string, string, string, string];
      if (closing) {
        stack.pop();
        continue;
      }
      const parent = stack[stack.length - 1]!;
      const index = (parent.counts.get(name) ?? 0) + 1;
      parent.counts.set(name, index);
      const path = [...stack.slice(1), { name, index }].map((s) => (s.name === 'det' ? `det[${s.index}]` : s.name)).join('/');
      if (i === line - 1 && !at) at = path;
      if (!selfClosing) stack.push({ name, counts: new Map(), index });
    }
  }
  return at;
}

const FACETS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/\[facet 'pattern'\] The value '([^']*)' is not accepted by the pattern '([^']*)'/, (m) => `valor "${m[1]}" fora do formato exigido (${m[2]})`],
  [/\[facet 'enumeration'\] The value '([^']*)' is not an element of the set \{([^}]*)\}/, (m) => `valor "${m[1]}" não permitido; valores aceitos: ${m[2]!.replace(/'/g, '')}`],
  [/\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'/, (m) => `tamanho ${m[1]} maior que o máximo de ${m[2]} caracteres`],
  [/\[facet 'minLength'\] The value has a length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'/, (m) => `tamanho ${m[1]} menor que o mínimo de ${m[2]} caracteres`],
  [/\[facet '(?:totalDigits|fractionDigits)'\] The value '([^']*)'/, (m) => `valor "${m[1]}" com dígitos ou casas decimais demais`],
  [/Missing child element\(s\)\. Expected is (?:one of )?\( ([^)]*) \)/, (m) => `falta o campo ${names(m[1]!)}`],
  [/This element is not expected\. Expected is (?:one of )?\( ([^)]*) \)/, (m) => `campo fora de ordem ou não permitido aqui; esperado ${names(m[1]!)}`],
  [/This element is not expected/, () => 'campo não permitido nesta posição'],
  [/The attribute '([^']*)' is required but missing/, (m) => `falta o atributo ${m[1]}`],
  [/'([^']*)' is not a valid value of the (?:atomic|local atomic|union) type/, (m) => `valor "${m[1]}" inválido para este campo`],
  [/The value '([^']*)' is not a valid/, (m) => `valor "${m[1]}" inválido para este campo`],
  [/Element content is not allowed, because the content type is empty/, () => 'campo deve ser vazio'],
  [/No matching global declaration available for the validation root/, () => 'elemento raiz não reconhecido por este schema'],
];

function names(list: string): string {
  return list
    .split(',')
    .map((s) => s.trim().replace(/^\{[^}]*\}/, ''))
    .map((n) => fieldLabel(n) ?? n)
    .join(' ou ');
}

function translate(raw: string, path: string): SchemaIssue {
  const text = raw.trim().replace(/\s+/g, ' ');
  const elemMatch = text.match(/^Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: /);
  const element = elemMatch?.[2] ?? elemMatch?.[1] ?? '';
  const rest = elemMatch ? text.slice(elemMatch[0].length) : text;
  let what = rest;
  for (const [re, fmt] of FACETS) {
    const m = rest.match(re);
    if (m) {
      what = fmt(m);
      break;
    }
  }
  const item = path.match(/det\[(\d+)\]/)?.[1];
  const label = element ? `${fieldLabel(element) ?? element} (${element})` : 'Documento';
  return { path, element, raw: text, message: `${item ? `Item ${item}, ` : ''}${label}: ${what}.` };
}

function validateWasm(xml: string, xsdPath: string): string[] {
  const validator = wasmValidator(xsdPath);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (err) {
    const d = (err as XmlLibError).details as ErrorDetail[] | undefined;
    throw fiscalError(FiscalErrors.XML_INVALID, `XML mal formado: ${d?.[0]?.message.trim() ?? (err as Error).message}`);
  }
  try {
    validator.validate(doc);
    return [];
  } catch (err) {
    if (err instanceof XmlLibError) return err.details.filter((d) => d.level >= 2).map((d) => `${d.line}\t${d.message}`);
    throw err;
  } finally {
    doc.dispose();
  }
}

function validateXmllint(xml: string, xsdPath: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'comboio-xsd-'));
  try {
    const file = join(dir, 'doc.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsdPath, file], { encoding: 'utf8' });
    if (r.error) throw fiscalError(FiscalErrors.SCHEMA_UNAVAILABLE, `xmllint indisponível: ${r.error.message}`);
    if (r.status === 0) return [];
    const issues = r.stderr
      .split('\n')
      .map((l) => l.match(/^.*?:(\d+): (?:element|parser) [^:]*: [^:]* error : (.*)$/))
      .filter((m): m is RegExpMatchArray => !!m)
      .map((m) => `${m[1]}\t${m[2]}`);
    if (issues.length === 0 && r.status !== 0) issues.push(`0\t${r.stderr.trim().split('\n')[0] ?? 'erro de validação'}`);
    return issues;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ValidateOptions {
  schemasDir: string;
  layout: SchemaLayout;
  /** XSD file name; by default chosen from the root element (NFe, nfeProc, enviNFe…). */
  schemaFile?: string;
  engine?: SchemaEngine;
}

/**
 * Validates a document against the official schemas in the configured folder. libxml2 in
 * WebAssembly runs in-process (no temp files); xmllint is the fallback engine. On failure
 * the document is re-validated one element per line so each error gets its element path.
 */
export function validateXml(xml: string, opts: ValidateOptions): SchemaResult {
  const file = opts.schemaFile ?? ROOT_SCHEMAS[rootElementName(xml)];
  if (!file) throw fiscalError(FiscalErrors.XML_INVALID, `Documento não reconhecido (raiz "${rootElementName(xml)}"); informe o schema.`);
  const xsdPath = resolveSchemaFile(opts.schemasDir, opts.layout, file);
  const run = opts.engine === 'xmllint' ? validateXmllint : validateWasm;
  const first = run(xml, xsdPath);
  if (first.length === 0) return { valid: true, issues: [], schemaFile: xsdPath };
  const split = oneElementPerLine(xml);
  const located = run(split, xsdPath);
  const source = located.length > 0 ? located : first;
  const issues = source.map((entry) => {
    const [lineText, raw] = entry.split('\t') as [string, string];
    const path = located.length > 0 ? pathOfLine(split, Number(lineText)) : '';
    return translate(raw, path);
  });
  return { valid: false, issues, schemaFile: xsdPath };
}

/** validateXml that throws SCHEMA_INVALID with every issue in pt-BR (nothing is sent or written). */
export function assertSchemaValid(xml: string, opts: ValidateOptions): void {
  const r = validateXml(xml, opts);
  if (r.valid) return;
  const first = r.issues[0]!;
  throw new AppError(
    FiscalErrors.SCHEMA_INVALID,
    `XML rejeitado pelo schema ${opts.layout} (${r.issues.length} erro(s)). ${r.issues.map((i) => i.message).join(' ')}`,
    { field: first.path || first.element, details: r.issues.map((i) => ({ path: i.path, element: i.element, message: i.message })) },
  );
}
