import { resolve } from 'node:path';
import { defaultDataDir } from '../../core/paths';
import { clientOptions, openIdentity } from '../../core/sefaz/setup';
import { SefazClient } from '../../core/sefaz/client';
import { CteSefazClient } from '../../core/sefaz/cte-client';
import { CONTINGENCY_OPTIONS, ContingencyEngine, DEFAULT_PRIORITY, type ContingencyChoice, type ContingencyOption, type SendResult } from '../../core/sefaz/contingency/engine';
import { ContingencyState } from '../../core/sefaz/contingency/state';
import { identifyNFe } from '../../core/sefaz/outbox';
import { UsageError } from '../command';
import { connectionConfig, storeFor, type Values } from './nfe/sefaz-options';

/** Flags of `nfe send` / `cte send` for contingency. */
export const CONTINGENCY_FLAGS = {
  contingencia: { type: 'string' },
  prioridade: { type: 'string' },
  'proximo-numero': { type: 'string' },
} as const;

export const CONTINGENCY_USAGE = (model: 'nfe' | 'cte') => `  --contingencia C    auto | svc | epec | ${model === 'nfe' ? 'fsda | ' : ''}nenhuma (padrão auto: a ordem de prioridade)
  --prioridade LISTA  ordem de prioridade do estabelecimento (padrão ${DEFAULT_PRIORITY[model].join(',')})
  --proximo-numero N  próximo número livre da série, para refaturar o documento que
                      identificou a queda (regra do 108; padrão: o maior conhecido + 1)`;

export type ContingencyValues = Values & { contingencia?: string; prioridade?: string; 'proximo-numero'?: string };

function parseChoice(value: string | undefined, model: 'nfe' | 'cte'): ContingencyChoice {
  const v = (value ?? 'auto').toLowerCase();
  if (v === 'auto') return 'auto';
  if (!(CONTINGENCY_OPTIONS as readonly string[]).includes(v) || (model === 'cte' && v === 'fsda')) {
    throw new UsageError(`--contingencia deve ser auto, svc, epec, ${model === 'nfe' ? 'fsda, ' : ''}ou nenhuma (recebido "${value}").`);
  }
  return v as ContingencyOption;
}

function parsePriority(value: string | undefined, model: 'nfe' | 'cte'): ContingencyOption[] {
  if (!value) return DEFAULT_PRIORITY[model];
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.find((p) => !(CONTINGENCY_OPTIONS as readonly string[]).includes(p) || (model === 'cte' && p === 'fsda'));
  if (bad) throw new UsageError(`--prioridade: opção desconhecida "${bad}".`);
  return list as ContingencyOption[];
}

export interface ContingencyCli {
  engine: ContingencyEngine;
  choice: ContingencyChoice;
  state: ContingencyState;
  close(): void;
}

/** The engine of one UF and model from the common SEFAZ flags: UF client, SVC client, station stores. */
export function openContingencyCli(values: ContingencyValues, model: 'nfe' | 'cte', waitMs: number): ContingencyCli {
  const choice = parseChoice(values.contingencia, model);
  const priority = parsePriority(values.prioridade, model);
  const next = values['proximo-numero'] !== undefined ? Number(values['proximo-numero']) : undefined;
  if (next !== undefined && (!Number.isInteger(next) || next < 1)) throw new UsageError('--proximo-numero deve ser um número inteiro positivo.');
  const cfg = connectionConfig(values);
  const { certificate, trustedCaPems } = openIdentity(cfg);
  if (!certificate.cnpj) throw new UsageError('O certificado não informa o CNPJ do titular.');
  const make = (emission: 'normal' | 'svc') => {
    const o = clientOptions({ ...cfg, emission }, certificate, trustedCaPems);
    return model === 'nfe' ? new SefazClient(o) : new CteSefazClient(o);
  };
  const normal = make('normal');
  const svc = make('svc');
  const closeClients = () => {
    normal.close();
    svc.close();
  };
  const store = storeFor(values, { close: closeClients });
  const state = new ContingencyState(values.data ? resolve(values.data) : defaultDataDir());
  const engine = new ContingencyEngine({
    model,
    uf: cfg.uf,
    cnpj: certificate.cnpj,
    store,
    state,
    outDir: resolve(values.out ?? '.'),
    key: { certPem: certificate.certPem, keyPem: certificate.keyPem },
    normal,
    svc,
    priority,
    attemptMs: waitMs,
    actor: `cli:${process.env.USER ?? 'usuário'}`,
    ...(next !== undefined ? { nextNumber: () => next } : {}),
  });
  return {
    engine,
    choice,
    state,
    close() {
      closeClients();
      store.close();
      state.close();
    },
  };
}

/** Prints a contingency send; exit 0 when the document may travel (authorized, EPEC, FS-DA), 3 pending, 1 refused. */
export function reportContingency(r: SendResult, audit: { at: string; action: string; detail: string }[]): number {
  for (const a of audit) process.stdout.write(`  ${a.at} ${a.action}: ${a.detail}\n`);
  process.stdout.write(`${r.chave}: ${r.message}\n`);
  if (r.replaces) process.stdout.write(`Substitui ${r.replaces} (regra do 108: será cancelada ou inutilizada na volta da SEFAZ)\n`);
  process.stdout.write(`Códigos: ${r.codes.join(', ')}\n`);
  for (const f of r.files) process.stdout.write(`Gravado ${f}\n`);
  if (r.status === 'authorized' || r.status === 'epec' || r.status === 'fsda') return 0;
  return r.status === 'pending' ? 3 : 1;
}

/** `nfe send` / `cte send`: the document through the contingency engine, with its audit trail printed. */
export async function sendWithContingency(values: ContingencyValues, model: 'nfe' | 'cte', signed: string, waitMs: number): Promise<number> {
  const c = openContingencyCli(values, model, waitMs);
  try {
    const r = await c.engine.send(signed, c.choice);
    const chaves = new Set([identifyNFe(signed).chave, r.chave, ...(r.replaces ? [r.replaces] : [])]);
    return reportContingency(r, c.state.recentAudit(50).reverse().filter((a) => a.chave === null || chaves.has(a.chave)));
  } finally {
    c.close();
  }
}
