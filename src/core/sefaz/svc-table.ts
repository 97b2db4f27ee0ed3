import type { Uf } from './endpoints';

/**
 * Which SEFAZ Virtual de Contingência serves each UF — the one table the code reads.
 *
 * NF-e (model 55): Portal Nacional da NF-e, "Relação de Serviços Web", section
 * "Autorizadores em contingência" (https://www.nfe.fazenda.gov.br/portal/webServices.aspx):
 * SVC-RS serves AM, BA, GO, MA, MS, MT, PE and PR; SVC-AN serves every other UF. (NT 2013.007
 * first listed CE, PA and PI under SVC-RS; the portal has since moved them to SVC-AN, and
 * sped-nfe's Contingency::activate agrees.) tpEmis 6 = SVC-AN, 7 = SVC-RS.
 *
 * CT-e (model 57): Portal Nacional do CT-e, "Relação de Serviços Web — contingência": the
 * UFs authorized by SVRS or by RS fall back to SVC-SP; those with their own authorizer
 * (MG, MS, MT, PR, SP) or SVSP (AP, PE, RR) fall back to SVC-RS. tpEmis 7 = SVC-RS,
 * 8 = SVC-SP; CT-e EPEC (tpEmis 4) is received by the same SVC.
 */
export type NfeSvc = 'SVC-AN' | 'SVC-RS';
export type CteSvc = 'SVC-RS' | 'SVC-SP';

const NFE_SVC_RS: readonly Uf[] = ['AM', 'BA', 'GO', 'MA', 'MS', 'MT', 'PE', 'PR'];
const CTE_SVC_RS: readonly Uf[] = ['AP', 'MG', 'MS', 'MT', 'PE', 'PR', 'RR', 'SP'];

export function nfeSvcOf(uf: Uf): NfeSvc {
  return NFE_SVC_RS.includes(uf) ? 'SVC-RS' : 'SVC-AN';
}

export function cteSvcOf(uf: Uf): CteSvc {
  return CTE_SVC_RS.includes(uf) ? 'SVC-RS' : 'SVC-SP';
}

/** tpEmis of a document authorized by the UF's SVC. */
export function svcTpEmis(model: 'nfe' | 'cte', uf: Uf): 6 | 7 | 8 {
  if (model === 'nfe') return nfeSvcOf(uf) === 'SVC-AN' ? 6 : 7;
  return cteSvcOf(uf) === 'SVC-RS' ? 7 : 8;
}
