import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDataDir, defaultProjectPaths } from '../../../core/paths';
import { openSefazClient, parseUf, SefazFiscalEvents, SefazOutbox, stateLabel, type SefazClient, type SefazConnectionConfig, type SefazEnvironment } from '../../../core/sefaz/index';
import { migrateStore } from '../../../core/store/migrate';
import { openStore, type Store } from '../../../core/store/open';
import { UsageError, certPassword, requireFlag } from '../../command';
import { fiscalFilesDirs } from '../../../core/setup/fiscal-files';

/** Flags every SEFAZ subcommand takes (`--env`, `--uf`, certificate, simulator, folders). */
export const SEFAZ_FLAGS = {
  env: { type: 'string' },
  uf: { type: 'string' },
  cert: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
  'sim-url': { type: 'string' },
  'sim-ca': { type: 'string' },
  out: { type: 'string' },
  data: { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const SEFAZ_USAGE = `  --env AMB           simulador | homologacao | producao (padrão homologacao)
  --uf UF             UF do emitente (define o autorizador)
  --cert ARQ.pfx      certificado A1 (PKCS#12)
  --password-file ARQ arquivo com a senha do certificado (ou a variável COMBOIO_CERT_PASSWORD;
                      --password SENHA também vale, mas fica visível no ps)
  --sim-url URL       endereço do simulador (com --env simulador)
  --sim-ca ARQ        AC do simulador (ca.pem da pasta do simulador)
  --out PASTA         onde os XML são lidos e gravados (padrão: pasta atual)
  --data PASTA        dados da estação (banco com a fila e o histórico da SEFAZ)
  --timeout MS        tempo máximo por chamada (padrão 30000)`;

export type Values = { [K in keyof typeof SEFAZ_FLAGS]?: string };

export interface SefazCli {
  client: SefazClient;
  store: Store;
  outDir: string;
  cnpj: string;
  close(): void;
}

function environment(value: string | undefined): SefazEnvironment {
  const env = value ?? 'homologacao';
  if (env !== 'simulador' && env !== 'homologacao' && env !== 'producao') throw new UsageError(`--env deve ser simulador, homologacao ou producao (recebido "${env}").`);
  return env;
}

/** The connection settings from the common flags (NF-e and CT-e commands share them). */
export function connectionConfig(values: Values): SefazConnectionConfig {
  const env = environment(values.env);
  const password = certPassword(values);
  const timeoutMs = values.timeout ? Number(values.timeout) : undefined;
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) throw new UsageError('--timeout deve ser um número de milissegundos.');
  return {
    env,
    uf: parseUf(requireFlag(values.uf, 'uf')),
    pfx: readFileSync(resolve(requireFlag(values.cert, 'cert'))),
    password,
    resourcesDir: defaultProjectPaths().resourcesDir,
    installedCaDir: fiscalFilesDirs(values.data ? resolve(values.data) : defaultDataDir()).icpBrasil,
    ...(values['sim-url'] ? { simulatorUrl: values['sim-url'] } : {}),
    ...(values['sim-ca'] ? { simulatorCaFile: resolve(values['sim-ca']) } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  };
}

/** The workstation store (outbox, events) of --data, migrated. */
export function openWorkstationStore(values: Values): Store {
  const dataDir = values.data ? resolve(values.data) : defaultDataDir();
  const store = openStore(join(dataDir, 'comboio.db'));
  try {
    migrateStore(store, defaultProjectPaths().migrationsDir);
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}

/** The workstation store for an open client; the client is closed if the store cannot open. */
export function storeFor(values: Values, client: { close(): void }): Store {
  try {
    return openWorkstationStore(values);
  } catch (err) {
    client.close();
    throw err;
  }
}

/** Prints what happened to one transmitted document; exit code 0 authorized, 3 still queued, 1 otherwise. */
export function reportTransmission(box: SefazOutbox, chave: string, left: { chave: string }[]): number {
  const final = box.get(chave)!;
  for (const m of box.messages(chave)) {
    process.stdout.write(`  ${m.at} ${m.service} ${m.outcome === 'reply' ? `${m.cStat} ${m.xMotivo}` : `${m.outcome}: ${m.error ?? ''}`}\n`);
  }
  process.stdout.write(`${chave}: ${stateLabel(final)}${final.nProt ? ` — protocolo ${final.nProt}` : ''}\n`);
  if (final.procPath) process.stdout.write(`Gravado ${final.procPath}\n`);
  if (left.some((d) => d.chave === chave)) return 3;
  return final.state === 'authorized' ? 0 : 1;
}

/** Opens the certificate, the client and the workstation store from the common flags. */
export function openSefazCli(values: Values): SefazCli {
  const { client, certificate } = openSefazClient(connectionConfig(values));
  if (!certificate.cnpj) {
    client.close();
    throw new UsageError('O certificado não informa o CNPJ do titular.');
  }
  const store = storeFor(values, client);
  return {
    client,
    store,
    outDir: resolve(values.out ?? '.'),
    cnpj: certificate.cnpj,
    close() {
      client.close();
      store.close();
    },
  };
}

export function outboxFor(s: SefazCli, sync = true): SefazOutbox {
  return new SefazOutbox({ store: s.store, client: s.client, outDir: s.outDir, sync });
}

export function eventsFor(s: SefazCli): SefazFiscalEvents {
  return new SefazFiscalEvents({ store: s.store, client: s.client, outDir: s.outDir, cnpj: s.cnpj });
}

export function requireChave(positionals: string[]): string {
  const chave = positionals[0]?.replace(/\s+/g, '');
  if (!chave || !/^\d{6}[0-9A-Z]{14}\d{24}$/.test(chave)) throw new UsageError('Informe a chave de acesso (44 caracteres).');
  return chave;
}
