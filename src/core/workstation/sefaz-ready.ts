import { AppError } from '../errors';
import type { SefazRuntime, WorkstationRuntime } from './runtime';

/** The SEFAZ runtime and the schema folder a signing flow needs, or a pt-BR refusal. */
export function requireSefaz(rt: WorkstationRuntime): { sefaz: SefazRuntime; schemasDir: string } {
  if (!rt.sefaz) {
    throw new AppError('SEFAZ_NOT_READY', `SEFAZ não configurada: ${rt.sefazError ?? 'instale o certificado e escolha o ambiente em Administração'}.`);
  }
  const schemasDir = rt.schemasDir();
  if (!schemasDir) throw new AppError('SEFAZ_NOT_READY', 'Informe a pasta dos schemas oficiais da NF-e em Administração > SEFAZ.');
  return { sefaz: rt.sefaz, schemasDir };
}

/** An emitter waits (a few seconds at most) for SEFAZ's answer; the outbox hook wakes it. */
export function outcomeWaiters() {
  const waiters = new Map<string, () => void>();
  return {
    wait: (chave: string, ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          waiters.delete(chave);
          resolve();
        }
        waiters.set(chave, done);
      }),
    wake: (chave: string) => waiters.get(chave)?.(),
  };
}
