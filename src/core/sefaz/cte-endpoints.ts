import { simulatorTargetBase, type Ambiente, type Uf } from './endpoints';
import { cteSvcOf, type CteSvc } from './svc-table';
import { SefazErrors, sefazError } from './errors';
import { CteServices, type CteServiceKey } from './cte-messages';

/**
 * CT-e authorizers (Portal CT-e, "Relação de Serviços Web"): MG, MS, MT, PR and SP run their
 * own; AP, PE and RR use SVSP; every other UF uses SVRS.
 */
export type CteAuthorizer = 'MG' | 'MS' | 'MT' | 'PR' | 'SP' | 'SVSP' | 'SVRS';

export function cteAuthorizerFor(uf: Uf): CteAuthorizer {
  if (uf === 'MG' || uf === 'MS' || uf === 'MT' || uf === 'PR' || uf === 'SP') return uf;
  if (uf === 'AP' || uf === 'PE' || uf === 'RR') return 'SVSP';
  return 'SVRS';
}

type Urls = Record<CteServiceKey, string>;
const each = (f: (service: string) => string): Urls =>
  Object.fromEntries(Object.entries(CteServices).map(([k, name]) => [k, f(name)])) as Urls;

const svrs = (base: string) => each((s) => `${base}/ws/${s}/${s}.asmx`);
const sp = (base: string) => each((s) => `${base}/CTeWS/WS/${s}.asmx`);

/** Service URLs per authorizer and environment. Check them against the portal when a SEFAZ moves a service. */
export const CTE_ENDPOINTS: Record<CteAuthorizer, Record<Ambiente, Urls>> = {
  SVRS: { homologacao: svrs('https://cte-homologacao.svrs.rs.gov.br'), producao: svrs('https://cte.svrs.rs.gov.br') },
  SP: { homologacao: sp('https://homologacao.nfe.fazenda.sp.gov.br'), producao: sp('https://nfe.fazenda.sp.gov.br') },
  SVSP: { homologacao: sp('https://homologacao.nfe.fazenda.sp.gov.br'), producao: sp('https://nfe.fazenda.sp.gov.br') },
  MG: { homologacao: each((s) => `https://hcte.fazenda.mg.gov.br/cte/services/${s}`), producao: each((s) => `https://cte.fazenda.mg.gov.br/cte/services/${s}`) },
  PR: { homologacao: each((s) => `https://homologacao.cte.fazenda.pr.gov.br/cte4/${s}`), producao: each((s) => `https://cte.fazenda.pr.gov.br/cte4/${s}`) },
  MT: { homologacao: each((s) => `https://homologacao.sefaz.mt.gov.br/ctews2/services/${s}`), producao: each((s) => `https://cte.sefaz.mt.gov.br/ctews2/services/${s}`) },
  MS: { homologacao: each((s) => `https://homologacao.cte.ms.gov.br/ws/${s}`), producao: each((s) => `https://producao.cte.ms.gov.br/ws/${s}`) },
};

/** The simulator answers CT-e on the SVRS paths: the UF authorizer on its port, SVC-RS and SVC-SP on theirs. */
export function cteSimulatorUrls(baseUrl: string, site: 'autorizador' | CteSvc = 'autorizador'): Urls {
  const base = baseUrl.replace(/\/+$/, '');
  if (site === 'autorizador' || base === '') return svrs(base);
  return svrs(simulatorTargetBase(base, site === 'SVC-RS' ? 'svc-rs' : 'svc-sp'));
}

/** Simulator paths, lower-cased, to the CT-e service they serve. */
export function cteSimulatorRoutes(): Map<string, CteServiceKey> {
  return new Map(Object.entries(cteSimulatorUrls('')).map(([k, path]) => [path.toLowerCase(), k as CteServiceKey]));
}

/** Contingency authorizers of CT-e (SVC-RS, SVC-SP) on the same service paths as SVRS / SP. */
const CTE_SVC_ENDPOINTS: Record<CteSvc, Record<Ambiente, Urls>> = {
  'SVC-RS': { homologacao: svrs('https://cte-homologacao.svrs.rs.gov.br'), producao: svrs('https://cte.svrs.rs.gov.br') },
  'SVC-SP': { homologacao: sp('https://homologacao.nfe.fazenda.sp.gov.br'), producao: sp('https://nfe.fazenda.sp.gov.br') },
};

/** `svc`: the UF's SVC (svc-table.ts), which also receives the CT-e EPEC. */
export function cteEndpointUrl(sel: { env: Ambiente | 'simulador'; uf: Uf; simulatorUrl?: string; svc?: boolean }, service: CteServiceKey): string {
  if (sel.env === 'simulador') {
    if (!sel.simulatorUrl) throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, 'Informe o endereço do simulador (--sim-url).', { field: 'simUrl' });
    return cteSimulatorUrls(sel.simulatorUrl, sel.svc ? cteSvcOf(sel.uf) : 'autorizador')[service];
  }
  if (sel.svc) return CTE_SVC_ENDPOINTS[cteSvcOf(sel.uf)][sel.env][service];
  return CTE_ENDPOINTS[cteAuthorizerFor(sel.uf)][sel.env][service];
}
