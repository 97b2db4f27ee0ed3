// Public API of the CT-e 4.00 fiscal core (model 57, modal rodoviário).
export { buildCte, icmsOfService, qrCodeUrl, MAX_NFE_REFS, type BuiltCte, type CteBuildContext } from './build';
export { emitCte, assertModalValid, CTE_LAYOUT, type CteEmitContext, type EmittedCte } from './emit';
export { parseCte } from './parse';
export { cteOrderFromNfes, type CteFromNfeBase } from './from-nfe';
export {
  assertCteEventoValid,
  buildCancelamentoComprovante,
  buildComprovanteEntrega,
  buildCteCancelamento,
  buildCteCartaCorrecao,
  buildDesacordo,
  cteEventoDetail,
  cteEventoId,
  cumulativeCorrections,
  hashEntrega,
  CTE_CCE_COND_USO,
  CTE_EVENTO,
  CTE_EVENTO_LABEL,
  CTE_MAX_SEQ,
  DESACORDO_DAYS,
  type ComprovanteEntrega,
  type CteEventoBase,
  type CteTpEvento,
  type InfCorrecao,
} from './events';
export * from './model';
export type * from './order';
