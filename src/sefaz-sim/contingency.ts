import { SIMULATOR_TARGETS, ufFromCode, type SimulatorTarget } from '../core/sefaz/endpoints';
import { cteSvcOf, nfeSvcOf } from '../core/sefaz/svc-table';

/**
 * The authorizers the simulator runs side by side, each on its own port with its own
 * fault mode: the UF's authorizer, the two NF-e SVCs (SVC-SP only for CT-e), and the
 * Ambiente Nacional that receives the NF-e EPEC. They share one store, which is how a
 * document authorized by an SVC is "synchronised" back to the UF: a consulta at the UF
 * finds it, and the same number under another key is 539 there.
 */
export const SIM_TARGETS = SIMULATOR_TARGETS;
export type SimTarget = SimulatorTarget;

export function isSimTarget(value: string): value is SimTarget {
  return (SIM_TARGETS as readonly string[]).includes(value);
}

/** What a service needs to know about where it runs. */
export interface SimSite {
  target: SimTarget;
  /** UFs for which SEFAZ has activated the SVC (by UF code or acronym). */
  svcActive(uf: string): boolean;
}

export const CONTINGENCY_MSG: Record<string, string> = {
  '113': 'Serviço SVC em operação. Desativação prevista para a UF',
  '114': 'Rejeição: SVC desabilitada pela SEFAZ de Origem',
  '142': 'Rejeição: Ambiente de Contingência EPEC bloqueado para o Emitente',
  '226': 'Rejeição: Código da UF do Emitente diverge da UF autorizadora',
  '467': 'Rejeição: Dados do documento divergentes do EPEC',
  '468': 'Rejeição: Documento com Tipo Emissão = 4, sem EPEC correspondente',
  '516': 'Rejeição: O tpEmis informado é incompatível com o autorizador',
  '570': 'Rejeição: Tipo de Emissão 6 ou 7 só é válido na SVC da UF',
};

/**
 * Whether this target accepts a document of that UF and tpEmis: null when it does, else
 * [cStat, detail]. NF-e: the UF takes 1, 4 (with EPEC) and 5; SVC-AN takes 6 and SVC-RS 7,
 * each only for its UFs and only while activated. CT-e: the UF takes 1 and 4; SVC-RS 7,
 * SVC-SP 8.
 */
export function emissionRefusal(model: 'nfe' | 'cte', site: SimSite, cUF: string, tpEmis: string): [string, string] | null {
  const uf = ufFromCode(cUF);
  if (!uf) return ['226', ''];
  const wrongTpEmis = model === 'nfe' ? '570' : '516';
  if (site.target === 'autorizador') {
    const ok = model === 'nfe' ? ['1', '4', '5'] : ['1', '4'];
    return ok.includes(tpEmis) ? null : [wrongTpEmis, ` [tpEmis ${tpEmis} não é aceito pelo autorizador da UF]`];
  }
  if (site.target === 'an') return ['226', ' [o Ambiente Nacional só recebe EPEC]'];
  const svc = site.target === 'svc-an' ? 'SVC-AN' : site.target === 'svc-rs' ? 'SVC-RS' : 'SVC-SP';
  const served = model === 'nfe' ? nfeSvcOf(uf) : cteSvcOf(uf);
  if (served !== svc) return ['226', ` [${uf} usa a ${served}]`];
  const expected = model === 'nfe' ? (svc === 'SVC-AN' ? '6' : '7') : svc === 'SVC-RS' ? '7' : '8';
  if (tpEmis !== expected) return [wrongTpEmis, ` [na ${svc} o tpEmis deve ser ${expected}]`];
  if (!site.svcActive(uf)) return ['114', ` [${svc} não ativada para ${uf}]`];
  return null;
}

/** Status of an SVC for a UF: 107 only while activated for it. */
export function svcStatusRefusal(model: 'nfe' | 'cte', site: SimSite, cUF: string): [string, string] | null {
  if (site.target === 'autorizador' || site.target === 'an') return null;
  const uf = ufFromCode(cUF);
  if (!uf) return ['226', ''];
  const svc = site.target === 'svc-an' ? 'SVC-AN' : site.target === 'svc-rs' ? 'SVC-RS' : 'SVC-SP';
  const served = model === 'nfe' ? nfeSvcOf(uf) : cteSvcOf(uf);
  if (served !== svc) return ['226', ` [${uf} usa a ${served}]`];
  if (!site.svcActive(uf)) return ['114', ` [${svc} não ativada para ${uf}]`];
  return null;
}
