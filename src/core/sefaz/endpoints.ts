import { SefazErrors, sefazError } from './errors';
import type { NfeServiceKey } from './soap';
import { nfeSvcOf, type NfeSvc } from './svc-table';

/**
 * NF-e 4.00 web-service addresses (model 55) per authorizer and environment, from the
 * public lists the SEFAZ portals publish. Each UF is served either by its own SEFAZ or by
 * a virtual one (SVRS, SVAN); SVC-AN / SVC-RS are the contingency authorizers (tpEmis 6/7)
 * and AN (Ambiente Nacional) receives EPEC.
 */

export type Ambiente = 'producao' | 'homologacao';
export type SefazEnvironment = Ambiente | 'simulador';
export type Authorizer = 'AM' | 'BA' | 'CE' | 'GO' | 'MG' | 'MS' | 'MT' | 'PE' | 'PR' | 'RS' | 'SP' | 'SVAN' | 'SVRS' | 'SVC-AN' | 'SVC-RS' | 'AN';
export type ServiceUrls = Partial<Record<NfeServiceKey, string>>;

export const tpAmbOf = (env: Ambiente): '1' | '2' => (env === 'producao' ? '1' : '2');

/** IBGE codes (cUF) of the 27 UFs. */
export const UF_CODES = {
  RO: '11', AC: '12', AM: '13', RR: '14', PA: '15', AP: '16', TO: '17', MA: '21', PI: '22', CE: '23', RN: '24',
  PB: '25', PE: '26', AL: '27', SE: '28', BA: '29', MG: '31', ES: '32', RJ: '33', SP: '35', PR: '41', SC: '42',
  RS: '43', MS: '50', MT: '51', GO: '52', DF: '53',
} as const;

export type Uf = keyof typeof UF_CODES;
export const UFS = Object.keys(UF_CODES) as Uf[];
export const AN_CODE = '91';

export function ufFromCode(cUF: string): Uf | undefined {
  return UFS.find((uf) => UF_CODES[uf] === cUF);
}

export function parseUf(value: string): Uf {
  const uf = value.trim().toUpperCase();
  if (!(uf in UF_CODES)) throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, `UF inválida: "${value}".`, { field: 'uf' });
  return uf as Uf;
}

/** Who authorizes model 55 for each UF in normal emission (tpEmis 1). */
export const AUTHORIZER_OF: Record<Uf, Authorizer> = {
  AC: 'SVRS', AL: 'SVRS', AM: 'AM', AP: 'SVRS', BA: 'BA', CE: 'CE', DF: 'SVRS', ES: 'SVRS', GO: 'GO', MA: 'SVAN',
  MG: 'MG', MS: 'MS', MT: 'MT', PA: 'SVAN', PB: 'SVRS', PE: 'PE', PI: 'SVRS', PR: 'PR', RJ: 'SVRS', RN: 'SVRS',
  RO: 'SVRS', RR: 'SVRS', RS: 'RS', SC: 'SVRS', SE: 'SVRS', SP: 'SP', TO: 'SVRS',
};

/** Contingency authorizer of model 55 per UF (the table and its source are in svc-table.ts). */
export const svcOf = (uf: Uf): NfeSvc => nfeSvcOf(uf);

function svrsLike(base: string): ServiceUrls {
  return {
    statusServico: `${base}/ws/NfeStatusServico/NfeStatusServico4.asmx`,
    autorizacao: `${base}/ws/NfeAutorizacao/NFeAutorizacao4.asmx`,
    retAutorizacao: `${base}/ws/NfeRetAutorizacao/NFeRetAutorizacao4.asmx`,
    consultaProtocolo: `${base}/ws/NfeConsulta/NfeConsulta4.asmx`,
    inutilizacao: `${base}/ws/nfeinutilizacao/nfeinutilizacao4.asmx`,
    recepcaoEvento: `${base}/ws/recepcaoevento/recepcaoevento4.asmx`,
  };
}

/** Services named <Name>4/<Name>4.asmx under one host (BA, SVAN, SVC-AN, AN). */
function asmxPerFolder(base: string, prefix = ''): ServiceUrls {
  const s = (name: string) => `${base}${prefix}/${name}/${name}.asmx`;
  return {
    statusServico: s('NFeStatusServico4'),
    autorizacao: s('NFeAutorizacao4'),
    retAutorizacao: s('NFeRetAutorizacao4'),
    consultaProtocolo: s('NFeConsultaProtocolo4'),
    inutilizacao: s('NFeInutilizacao4'),
    recepcaoEvento: s('NFeRecepcaoEvento4'),
  };
}

/** Services as plain path segments under one folder (CE, GO, MG, MS, PE, PR, MT, AM). */
function plainPaths(base: string, names: Record<NfeServiceKey, string>): ServiceUrls {
  const out: ServiceUrls = {};
  for (const [k, v] of Object.entries(names) as [NfeServiceKey, string][]) out[k] = `${base}/${v}`;
  return out;
}

const STANDARD_NAMES: Record<NfeServiceKey, string> = {
  statusServico: 'NFeStatusServico4',
  autorizacao: 'NFeAutorizacao4',
  retAutorizacao: 'NFeRetAutorizacao4',
  consultaProtocolo: 'NFeConsultaProtocolo4',
  inutilizacao: 'NFeInutilizacao4',
  recepcaoEvento: 'NFeRecepcaoEvento4',
};

const AM_NAMES: Record<NfeServiceKey, string> = {
  statusServico: 'NfeStatusServico4',
  autorizacao: 'NfeAutorizacao4',
  retAutorizacao: 'NfeRetAutorizacao4',
  consultaProtocolo: 'NfeConsulta4',
  inutilizacao: 'NfeInutilizacao4',
  recepcaoEvento: 'RecepcaoEvento4',
};

function sp(base: string): ServiceUrls {
  return {
    statusServico: `${base}/ws/nfestatusservico4.asmx`,
    autorizacao: `${base}/ws/nfeautorizacao4.asmx`,
    retAutorizacao: `${base}/ws/nferetautorizacao4.asmx`,
    consultaProtocolo: `${base}/ws/nfeconsultaprotocolo4.asmx`,
    inutilizacao: `${base}/ws/nfeinutilizacao4.asmx`,
    recepcaoEvento: `${base}/ws/nferecepcaoevento4.asmx`,
  };
}

function withoutInutilizacao(urls: ServiceUrls): ServiceUrls {
  // SVC only authorizes and receives events; inutilização waits for the home SEFAZ.
  const { inutilizacao: _omit, ...rest } = urls;
  return rest;
}

export const ENDPOINTS: Record<Authorizer, Record<Ambiente, ServiceUrls>> = {
  AM: {
    homologacao: plainPaths('https://homnfe.sefaz.am.gov.br/services2/services', AM_NAMES),
    producao: plainPaths('https://nfe.sefaz.am.gov.br/services2/services', AM_NAMES),
  },
  BA: {
    homologacao: asmxPerFolder('https://hnfe.sefaz.ba.gov.br', '/webservices'),
    producao: asmxPerFolder('https://nfe.sefaz.ba.gov.br', '/webservices'),
  },
  CE: {
    homologacao: plainPaths('https://nfeh.sefaz.ce.gov.br/nfe4/services', STANDARD_NAMES),
    producao: plainPaths('https://nfe.sefaz.ce.gov.br/nfe4/services', STANDARD_NAMES),
  },
  GO: {
    homologacao: plainPaths('https://homolog.sefaz.go.gov.br/nfe/services', STANDARD_NAMES),
    producao: plainPaths('https://nfe.sefaz.go.gov.br/nfe/services', STANDARD_NAMES),
  },
  MG: {
    homologacao: plainPaths('https://hnfe.fazenda.mg.gov.br/nfe2/services', STANDARD_NAMES),
    producao: plainPaths('https://nfe.fazenda.mg.gov.br/nfe2/services', STANDARD_NAMES),
  },
  MS: {
    homologacao: plainPaths('https://homologacao.nfe.ms.gov.br/ws', STANDARD_NAMES),
    producao: plainPaths('https://nfe.fazenda.ms.gov.br/ws', STANDARD_NAMES),
  },
  MT: {
    homologacao: plainPaths('https://homologacao.sefaz.mt.gov.br/nfews/v2/services', AM_NAMES),
    producao: plainPaths('https://nfe.sefaz.mt.gov.br/nfews/v2/services', AM_NAMES),
  },
  PE: {
    homologacao: plainPaths('https://nfehomolog.sefaz.pe.gov.br/nfe-service/services', STANDARD_NAMES),
    producao: plainPaths('https://nfe.sefaz.pe.gov.br/nfe-service/services', STANDARD_NAMES),
  },
  PR: {
    homologacao: plainPaths('https://homologacao.nfe.sefa.pr.gov.br/nfe', STANDARD_NAMES),
    producao: plainPaths('https://nfe.sefa.pr.gov.br/nfe', STANDARD_NAMES),
  },
  RS: {
    homologacao: svrsLike('https://nfe-homologacao.sefazrs.rs.gov.br'),
    producao: svrsLike('https://nfe.sefazrs.rs.gov.br'),
  },
  SP: {
    homologacao: sp('https://homologacao.nfe.fazenda.sp.gov.br'),
    producao: sp('https://nfe.fazenda.sp.gov.br'),
  },
  SVAN: {
    homologacao: asmxPerFolder('https://hom.sefazvirtual.fazenda.gov.br'),
    producao: asmxPerFolder('https://www.sefazvirtual.fazenda.gov.br'),
  },
  SVRS: {
    homologacao: svrsLike('https://nfe-homologacao.svrs.rs.gov.br'),
    producao: svrsLike('https://nfe.svrs.rs.gov.br'),
  },
  'SVC-AN': {
    homologacao: withoutInutilizacao(asmxPerFolder('https://hom.svc.fazenda.gov.br')),
    producao: withoutInutilizacao(asmxPerFolder('https://svc.fazenda.gov.br')),
  },
  'SVC-RS': {
    homologacao: withoutInutilizacao(svrsLike('https://nfe-homologacao.svrs.rs.gov.br')),
    producao: withoutInutilizacao(svrsLike('https://nfe.svrs.rs.gov.br')),
  },
  AN: {
    homologacao: { recepcaoEvento: 'https://hom1.nfe.fazenda.gov.br/NFeRecepcaoEvento4/NFeRecepcaoEvento4.asmx' },
    producao: { recepcaoEvento: 'https://www.nfe.fazenda.gov.br/NFeRecepcaoEvento4/NFeRecepcaoEvento4.asmx' },
  },
};

/** The simulator's services; each listens on its own port, in this order from the authorizer's. */
export const SIMULATOR_TARGETS = ['autorizador', 'svc-an', 'svc-rs', 'svc-sp', 'an'] as const;
export type SimulatorTarget = (typeof SIMULATOR_TARGETS)[number];

/** Base URL of one simulator service, from the authorizer's (the ports are consecutive). */
export function simulatorTargetBase(baseUrl: string, target: SimulatorTarget): string {
  const u = new URL(baseUrl);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  u.port = String(port + SIMULATOR_TARGETS.indexOf(target));
  return u.toString().replace(/\/+$/, '');
}

/**
 * The local simulator answers on the SVRS homologação paths, the SVCs the same on their
 * ports, and the Ambiente Nacional on its path for EPEC, so the same client code runs
 * against it unchanged. (The authorizer's port also answers the AN path, for old settings.)
 */
export function simulatorEndpoints(baseUrl: string): Record<'uf' | 'an' | 'svc-an' | 'svc-rs', ServiceUrls> {
  const base = baseUrl.replace(/\/+$/, '');
  const at = (target: SimulatorTarget) => (base === '' ? '' : simulatorTargetBase(base, target));
  return {
    uf: svrsLike(base),
    an: { recepcaoEvento: `${at('an')}/NFeRecepcaoEvento4/NFeRecepcaoEvento4.asmx` },
    'svc-an': withoutInutilizacao(svrsLike(at('svc-an'))),
    'svc-rs': withoutInutilizacao(svrsLike(at('svc-rs'))),
  };
}

/** Simulator paths, lower-cased, to the service they serve. */
export function simulatorRoutes(): Map<string, NfeServiceKey | 'epec'> {
  const routes = new Map<string, NfeServiceKey | 'epec'>();
  const { uf, an } = simulatorEndpoints('');
  for (const [k, path] of Object.entries(uf) as [NfeServiceKey, string][]) routes.set(path.toLowerCase(), k);
  routes.set(an.recepcaoEvento!.toLowerCase(), 'epec');
  return routes;
}

export type Emission = 'normal' | 'svc';

export interface EndpointSelection {
  env: SefazEnvironment;
  uf: Uf;
  /** Normal (home authorizer) or the UF's SVC, only while SEFAZ has activated it. */
  emission?: Emission;
  /** Base URL of the simulator (env 'simulador'). */
  simulatorUrl?: string;
}

export function authorizerFor(uf: Uf, emission: Emission = 'normal'): Authorizer {
  return emission === 'svc' ? svcOf(uf) : AUTHORIZER_OF[uf];
}

/** The URL of one service; throws a pt-BR error where that authorizer does not offer it. */
export function endpointUrl(sel: EndpointSelection, service: NfeServiceKey, target: 'uf' | 'an' = 'uf'): string {
  if (sel.env === 'simulador') {
    if (!sel.simulatorUrl) throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, 'Informe o endereço do simulador (--sim-url).', { field: 'simUrl' });
    const site = target === 'an' ? 'an' : sel.emission === 'svc' ? (svcOf(sel.uf) === 'SVC-AN' ? 'svc-an' : 'svc-rs') : 'uf';
    const url = simulatorEndpoints(sel.simulatorUrl)[site][service];
    if (!url) throw sefazError(SefazErrors.SEFAZ_NO_ENDPOINT, `O simulador não oferece o serviço ${service} no Ambiente Nacional.`);
    return url;
  }
  const authorizer = target === 'an' ? 'AN' : authorizerFor(sel.uf, sel.emission);
  const url = ENDPOINTS[authorizer][sel.env][service];
  if (!url) {
    throw sefazError(
      SefazErrors.SEFAZ_NO_ENDPOINT,
      `O autorizador ${authorizer} não oferece o serviço ${service} em ${sel.env === 'producao' ? 'produção' : 'homologação'}.`,
    );
  }
  return url;
}
