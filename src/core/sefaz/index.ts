// Public API of the SEFAZ client. The UI handlers (issue 7) and the CLI import from here.
export { SefazClient, type SefazClientOptions, type SefazMessage, type EventResult, type InutResult } from './client';
export { openSefazClient, type SefazConnectionConfig } from './setup';
export {
  SefazOutbox,
  stateLabel,
  identifyNFe,
  DEFAULT_BACKOFF,
  FINAL_STATES,
  type OutboxDocument,
  type OutboxHooks,
  type OutboxOptions,
  type OutboxState,
  type BackoffPolicy,
} from './outbox';
export { SefazFiscalEvents, type EventsOptions, type RegisteredEvent, type InutilizacaoResult } from './fiscal-events';
export {
  ENDPOINTS,
  AUTHORIZER_OF,
  UF_CODES,
  UFS,
  endpointUrl,
  authorizerFor,
  svcOf,
  parseUf,
  simulatorEndpoints,
  type Ambiente,
  type Authorizer,
  type Emission,
  type SefazEnvironment,
  type Uf,
} from './endpoints';
export { classifyCStat, isTransient, type CStatClass } from './cstat';
export { SefazErrors, type SefazErrorCode } from './errors';
export { loadTrustedRoots, SoapTransport, type TlsIdentity } from './transport';
export { procNFePath, procEventoPath, procInutPath } from './files';
export * from './messages';
export { CteSefazClient } from './cte-client';
export { CteFiscalEvents, type CteEventsOptions } from './cte-events';
export { CTE_ENDPOINTS, cteAuthorizerFor, cteEndpointUrl, cteSimulatorRoutes, type CteAuthorizer } from './cte-endpoints';
export { CteServices, cteProc, procEventoCTe, compressCte, decompressCte, type CteServiceKey } from './cte-messages';
export { openIdentity, clientOptions } from './setup';
export { procCTePath, procEventoCTePath } from './files';
