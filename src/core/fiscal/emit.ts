import type { A1Certificate, CertWarning } from './certificate';
import { buildNfe, type BuildContext, type BuiltNfe } from './build';
import { FiscalErrors, fiscalError } from './errors';
import type { Order } from './order';
import { assertSchemaValid, type SchemaEngine } from './schema-validate';
import { signXml } from './sign';

export interface EmitContext extends BuildContext {
  certificate: Pick<A1Certificate, 'certPem' | 'keyPem' | 'cnpj' | 'warnings'>;
  /** Folder with the official schema packages (setting "pasta de schemas"). */
  schemasDir: string;
  engine?: SchemaEngine;
}

export interface EmittedNfe extends BuiltNfe {
  /** The signed NFe: the record. Store and send these exact characters. */
  signedXml: string;
  warnings: CertWarning[];
}

/** SEFAZ compares the CNPJ base (8 characters): a branch may sign with the head office's certificate (213). */
export function assertCertificateOf(certDoc: string | null | undefined, emitDoc: string, whose: string): void {
  if (!certDoc || certDoc.slice(0, 8) !== emitDoc.slice(0, 8)) {
    throw fiscalError(
      FiscalErrors.CERT_CNPJ_MISMATCH,
      `O certificado pertence ao CNPJ ${certDoc ?? '(não informado)'}, que não é ${whose} ${emitDoc} (rejeição 213).`,
      'certificado',
    );
  }
}

/**
 * Order → signed, schema-valid NF-e. Nothing is returned (or written by callers) unless every
 * step passed: the build's checks, the certificate's CNPJ against the emitente (213), the
 * signature, and the official schema.
 */
export function emitNfe(order: Order, ctx: EmitContext): EmittedNfe {
  const built = buildNfe(order, ctx);
  assertCertificateOf(ctx.certificate.cnpj, built.model.infNFe.emit.CNPJ ?? built.model.infNFe.emit.CPF ?? '', 'do emitente');
  const signedXml = signXml(built.xml, 'infNFe', ctx.certificate);
  assertSchemaValid(signedXml, { schemasDir: ctx.schemasDir, layout: ctx.layout, schemaFile: 'nfe_v4.00.xsd', ...(ctx.engine ? { engine: ctx.engine } : {}) });
  return { ...built, signedXml, warnings: ctx.certificate.warnings };
}
