import type { Ambiente, Uf } from './endpoints';
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

/** The simulator answers CT-e on the SVRS paths. */
export function cteSimulatorUrls(baseUrl: string): Urls {
  return svrs(baseUrl.replace(/\/+$/, ''));
}

/** Simulator paths, lower-cased, to the CT-e service they serve. */
export function cteSimulatorRoutes(): Map<string, CteServiceKey> {
  return new Map(Object.entries(cteSimulatorUrls('')).map(([k, path]) => [path.toLowerCase(), k as CteServiceKey]));
}

export function cteEndpointUrl(sel: { env: Ambiente | 'simulador'; uf: Uf; simulatorUrl?: string }, service: CteServiceKey): string {
  if (sel.env === 'simulador') {
    if (!sel.simulatorUrl) throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, 'Informe o endereço do simulador (--sim-url).', { field: 'simUrl' });
    return cteSimulatorUrls(sel.simulatorUrl)[service];
  }
  return CTE_ENDPOINTS[cteAuthorizerFor(sel.uf)][sel.env][service];
}
