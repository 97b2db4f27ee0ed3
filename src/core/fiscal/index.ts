// Public API of the fiscal core. Handlers, the SEFAZ client, printing and the CLI import from here.
export { FiscalErrors, type FiscalErrorCode } from './errors';
export {
  loadA1,
  makeTestCa,
  makeTestCertificate,
  makeTestServerCertificate,
  cnpjFromCertificate,
  EXPIRY_WARNING_DAYS,
  OID_ICP_CNPJ,
  type A1Certificate,
  type CertWarning,
  type KeyPairPem,
  type LoadA1Options,
  type TestCertificate,
  type TestCertificateOptions,
} from './certificate';
export { signXml, verifyXmlSignature, verifyXmlSignatures, DSIG, type SignatureCheck, type SigningMaterial } from './sign';
export { buildChave, chaveDv, formatChave, isValidChave, parseChave, randomCnf, CHAVE_RE, type ChaveParts } from './chave';
export { checkIe, cnpjWithDv, cpfWithDv, isAlphanumericCnpj, isValidCnpj, isValidCpf, isValidIe, type IeCheck } from './documents';
export { buildNfe, HOMOLOG_DEST_NAME, MAX_ITEMS, NFE_NAMESPACE, type BuildContext, type BuiltNfe } from './build';
export { emitNfe, type EmitContext, type EmittedNfe } from './emit';
export { parseNfe } from './parse';
export { computeTotals, MONOPHASIC_CSTS } from './taxes';
export { assertSchemaValid, NFE_LAYOUTS, resolveSchemaFile, validateXml, type NfeLayout, type SchemaEngine, type SchemaIssue, type SchemaResult, type ValidateOptions } from './schema-validate';
export { defaultSchemasDir } from './settings';
export { toXml } from './xml';
export type * from './model';
export type * from './order';
