import type { A1Certificate, CertWarning } from '../certificate';
import { assertCertificateOf } from '../emit';
import { FiscalErrors, fiscalError } from '../errors';
import { assertSchemaValid, type SchemaEngine } from '../schema-validate';
import { signXml } from '../sign';
import { buildCte, type BuiltCte, type CteBuildContext } from './build';
import { CTE_NAMESPACE } from './model';
import type { CteOrder } from './order';

export const CTE_LAYOUT = 'PL_CTe_400' as const;

export interface CteEmitContext extends CteBuildContext {
  certificate: Pick<A1Certificate, 'certPem' | 'keyPem' | 'cnpj' | 'warnings'>;
  /** Folder with the official schema packages (the CT-e package under cte/PL_CTe_400). */
  schemasDir: string;
  engine?: SchemaEngine;
}

export interface EmittedCte extends BuiltCte {
  /** The signed CTe: the record. Store and send these exact characters. */
  signedXml: string;
  warnings: CertWarning[];
}

/**
 * The modal lives in `infModal` as xs:any (processContents skip): the main schema does not
 * look inside, so `rodo` is validated on its own against the rodoviário schema, as SEFAZ does.
 */
export function assertModalValid(signedXml: string, schemasDir: string, engine?: SchemaEngine): void {
  const rodo = signedXml.match(/<rodo>[\s\S]*?<\/rodo>/)?.[0];
  if (!rodo) throw fiscalError(FiscalErrors.SCHEMA_INVALID, 'CT-e rodoviário sem o grupo rodo (infModal).');
  assertSchemaValid(rodo.replace('<rodo>', `<rodo xmlns="${CTE_NAMESPACE}">`), { schemasDir, layout: CTE_LAYOUT, schemaFile: 'cteModalRodoviario_v4.00.xsd', ...(engine ? { engine } : {}) });
}

/**
 * Freight order → signed, schema-valid CT-e. Signature over infCte; infCTeSupl (QR code,
 * outside the signature) goes between infCte and Signature as the schema orders them.
 */
export function emitCte(order: CteOrder, ctx: CteEmitContext): EmittedCte {
  const built = buildCte(order, ctx);
  assertCertificateOf(ctx.certificate.cnpj, built.model.infCte.emit.CNPJ ?? built.model.infCte.emit.CPF ?? '', 'da transportadora emitente');
  const signed = signXml(built.xml, 'infCte', ctx.certificate);
  const at = signed.indexOf('<Signature');
  const signedXml = signed.slice(0, at) + built.supl + signed.slice(at);
  const opts = { schemasDir: ctx.schemasDir, layout: CTE_LAYOUT, ...(ctx.engine ? { engine: ctx.engine } : {}) };
  assertSchemaValid(signedXml, { ...opts, schemaFile: 'cte_v4.00.xsd' });
  assertModalValid(signedXml, ctx.schemasDir, ctx.engine);
  return { ...built, signedXml, warnings: ctx.certificate.warnings };
}
