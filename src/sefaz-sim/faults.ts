/**
 * Fault modes: what real SEFAZ does on bad days, switchable while the simulator runs
 * (flag at start, admin endpoint after). Each request draws its fate from these rates.
 */

export const MODES = ['normal', 'lento', 'sem-resposta', 'queda-antes', 'recusando', 'paralisado', 'paralisado-sem-previsao', 'rejeicoes', 'consumo-indevido', 'caos'] as const;
export type Mode = (typeof MODES)[number];

export interface Faults {
  mode: Mode;
  /** Delay before processing (the request is still processed if the client gave up). */
  slowMs: number;
  slowRate: number;
  /** Processed (authorized, event registered…) but the connection drops before the reply: the 539 trap. */
  noReplyRate: number;
  /** Connection dropped before anything is processed. */
  resetRate: number;
  /** Listener closed: connection refused. */
  refused: boolean;
  /** 108/109: service stopped, nothing processed. */
  pausedRate: number;
  pausedCode: '108' | '109';
  /** Random business rejections of NF-e (numbers stay free). */
  rejectRate: number;
  /** 656 consumo indevido. */
  throttleRate: number;
  /** tMed (seconds) announced for async lotes and the delay before their receipt is ready. */
  tMedMs: number;
  /** Recipient CNPJs whose NF-e are denied (302), to exercise the "number consumed" path. */
  denyDest: string[];
  /** Shifts the simulator's clock (e.g. +25 h to test the cancellation deadline). */
  clockOffsetMs: number;
  /** An EPEC whose document the UF has not authorized after this long blocks new EPECs (142). */
  epecPrazoMs: number;
}

export const DEFAULT_FAULTS: Faults = {
  mode: 'normal',
  slowMs: 5000,
  slowRate: 0,
  noReplyRate: 0,
  resetRate: 0,
  refused: false,
  pausedRate: 0,
  pausedCode: '108',
  rejectRate: 0,
  throttleRate: 0,
  tMedMs: 1000,
  denyDest: [],
  clockOffsetMs: 0,
  epecPrazoMs: 168 * 3_600_000,
};

/** The rates a mode sets; other settings (slowMs, tMedMs, denyDest, clock) are kept. */
export function presetFor(mode: Mode, current: Faults): Faults {
  const base: Faults = {
    ...current,
    mode,
    slowRate: 0,
    noReplyRate: 0,
    resetRate: 0,
    refused: false,
    pausedRate: 0,
    rejectRate: 0,
    throttleRate: 0,
  };
  switch (mode) {
    case 'normal':
      return base;
    case 'lento':
      return { ...base, slowRate: 1 };
    case 'sem-resposta':
      return { ...base, noReplyRate: 1 };
    case 'queda-antes':
      // The connection drops before anything is processed: the client cannot tell this from sem-resposta.
      return { ...base, resetRate: 1 };
    case 'recusando':
      return { ...base, refused: true };
    case 'paralisado':
      return { ...base, pausedRate: 1, pausedCode: '108' };
    case 'paralisado-sem-previsao':
      return { ...base, pausedRate: 1, pausedCode: '109' };
    case 'rejeicoes':
      return { ...base, rejectRate: current.rejectRate > 0 ? current.rejectRate : 0.3 };
    case 'consumo-indevido':
      return { ...base, throttleRate: 1 };
    case 'caos':
      return { ...base, slowRate: 0.1, slowMs: Math.min(current.slowMs, 1500), noReplyRate: 0.1, resetRate: 0.05, pausedRate: 0.05, rejectRate: 0.05, throttleRate: 0.02 };
  }
}

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

/** Deterministic PRNG (mulberry32) so a chaos run can be replayed with the same seed. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Business rejections drawn in 'rejeicoes' / 'caos' (never 204/539: those come only from real conflicts). */
export const RANDOM_REJECTIONS: ReadonlyArray<[string, string]> = [
  ['233', 'Rejeição: IE do destinatário não cadastrada'],
  ['778', 'Rejeição: Informado NCM inexistente'],
  ['629', 'Rejeição: Valor do Produto difere do produto Valor Unitário de Comercialização e Quantidade Comercial'],
  ['694', 'Rejeição: Não informado o grupo de ICMS para a UF de destino'],
];
