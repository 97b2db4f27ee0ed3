import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isoWithOffset, systemClock } from '../../core/clock';
import { startLogging } from '../../core/log/index';
import { appVersion, defaultDataDir, defaultProjectPaths } from '../../core/paths';
import { loadTrustedRoots, splitPems } from '../../core/sefaz/transport';
import { startLanServer, SERVER_DB_FILE } from '../../server/index';
import type { RetentionOptions } from '../../server/sync/index';
import { AuditLog } from '../../server/audit';
import { StationRegistry } from '../../server/auth/stations';
import { ensureAuthSchema } from '../../server/auth/store';
import { fingerprintOf, TLS_CERT_FILE } from '../../server/auth/tls';
import { openServerDb } from '../../server/db';
import { assertLocalDisk } from '../../server/storage-check';
import { publishRelease, UPDATES_DIR_NAME } from '../../core/update/feed';
import { parseFlags, parsePort, untilSignal, UsageError, type Command } from '../command';

/** A whole number flag in [min, max], or undefined when absent. */
function count(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`Valor inválido para --${flag}: ${value} (inteiro de ${min} a ${max})`);
  return n;
}

/** --retention-* flags: how long the change feed, the mutation log and history are kept. */
function retentionFrom(values: Record<string, string | boolean | undefined>): Partial<RetentionOptions> {
  const r: Partial<RetentionOptions> = {};
  const s = (k: string) => values[k] as string | undefined;
  const days = count(s('retention-days'), 'retention-days', 0, 3650);
  if (days !== undefined) {
    r.changeDays = days;
    r.mutationDays = days;
  }
  const min = count(s('retention-min-changes'), 'retention-min-changes', 0, 100_000_000);
  if (min !== undefined) r.minChanges = min;
  const mut = count(s('retention-mutation-days'), 'retention-mutation-days', 0, 3650);
  if (mut !== undefined) r.mutationDays = mut;
  const hist = count(s('retention-history-days'), 'retention-history-days', 0, 36500);
  if (hist !== undefined) r.historyDays = hist;
  const every = count(s('compact-every'), 'compact-every', 1, 86_400);
  if (every !== undefined) r.intervalMs = every * 1000;
  return r;
}

function seconds(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`Valor inválido para --${flag}: ${value}`);
  return n * 1000;
}

function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.0625 || n > 1024) throw new UsageError(`Valor inválido para --max-outbound-mb: ${value} (de 0.0625 a 1024)`);
  return Math.round(n * 1024 * 1024);
}

/** `comboio server code`: a new one-time enrollment code, written into the (running) server's database. */
function newCode(dataDir: string): number {
  if (!existsSync(join(dataDir, SERVER_DB_FILE))) throw new UsageError(`Não há servidor LAN em ${dataDir} (inicie "comboio server" antes).`);
  const db = openServerDb(join(dataDir, SERVER_DB_FILE));
  try {
    ensureAuthSchema(db);
    const nowIso = () => isoWithOffset(systemClock.now());
    const registry = new StationRegistry(db, new AuditLog(db, nowIso), nowIso, () => Date.now());
    const { code, expiresAt } = registry.newCode({ user: 'console', workstation: 'servidor', ip: '127.0.0.1' });
    const certFile = join(dataDir, TLS_CERT_FILE);
    const fp = existsSync(certFile) ? fingerprintOf(readFileSync(certFile, 'utf8')) : null;
    process.stdout.write(`Código de cadastro de estação: ${code} (uso único, válido até ${expiresAt})\n` + (fp ? `Impressão digital do certificado (SHA-256): ${fp}\n` : ''));
    return 0;
  } finally {
    db.close();
  }
}

/**
 * Roots (and intermediates) SEFAZ's signatures must chain to: resources/icp-brasil, plus an
 * extra CA file for training with the simulator. Read at each check, so files added to the
 * folder count without a restart and a simulator started later is found.
 */
function fiscalTrustFrom(extra: string | undefined): () => string[] {
  const dir = join(defaultProjectPaths().resourcesDir, 'icp-brasil');
  const file = extra ? resolve(extra) : null;
  return () => [...loadTrustedRoots([dir]), ...(file && existsSync(file) ? splitPems(readFileSync(file, 'utf8')) : [])];
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'Servidor LAN: numeração de NF-e/CT-e e travas de pedidos para várias estações',
  usage: `Uso: comboio server [--data PASTA] [--port N] [--host ADDR] [opções]
       comboio server code [--data PASTA]     novo código de cadastro de estação
       comboio server publicar-atualizacao PASTA_DO_BUILD [--data PASTA]
                                              publica um instalador novo para as estações

  --data PASTA          pasta do banco do servidor, em disco LOCAL (padrão: <dados do usuário>/servidor)
  --port N              porta (padrão 7400; 0 = qualquer livre)
  --host ADDR           endereço de escuta (padrão 0.0.0.0 — todas as interfaces da rede local)
  --tls-cert ARQ        certificado PEM próprio (padrão: o servidor cria o seu na primeira vez)
  --tls-key ARQ         chave privada PEM do certificado
  --sefaz-ca ARQ        AC (PEM) extra cujas assinaturas valem como protocolo da SEFAZ, além de
                        resources/icp-brasil (ex.: <dados do simulador>/ca.pem em treinamento;
                        ou a variável COMBOIO_SEFAZ_CA)
  --insecure            sem TLS (ws:// em texto claro): só para testes; as estações mostram um aviso
  --demo                cria os usuários de demonstração (admin/admin123, faturista/fatura123…)
  --lock-grace SEG      quanto tempo uma estação desconectada mantém as travas (padrão 30)
  --heartbeat SEG       intervalo do ping de conexão (padrão 10)
  --max-outbound-mb N   respostas não lidas que uma conexão pode acumular antes de ser
                        derrubada (padrão 16)

Retenção do histórico de sincronização (os registros em si nunca são apagados):
  --retention-days N    guarda as alterações e os ids de envio já aplicados dos últimos N dias
                        (padrão 7); uma estação desligada há mais tempo é reconstruída a partir
                        dos registros atuais do servidor, sem perder o que ela tem a enviar
  --retention-min-changes M
                        guarda sempre as últimas M alterações, mesmo mais antigas (padrão 1000)
  --retention-mutation-days N
                        só os ids de envio aplicados (padrão: o valor de --retention-days)
  --retention-history-days N
                        valores sobrescritos em conflitos e registros excluídos (padrão 365)
  --compact-every SEG   intervalo entre compactações (padrão 600)

Cada estação é cadastrada uma vez com um código de uso único (mostrado ao iniciar, por
"comboio server code" ou em Administração > Estações) e confere a impressão digital do
certificado mostrada aqui.

Atualizações: "publicar-atualizacao" confere o latest.yml e o instalador da pasta dist/ do
build (sha512 e tamanho) e os coloca em <dados>/atualizacoes; as estações cadastradas baixam
de https://<servidor>:<porta>/atualizacoes/ e instalam ao fechar o Comboio.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      insecure: { type: 'boolean' },
      'sefaz-ca': { type: 'string' },
      demo: { type: 'boolean' },
      'lock-grace': { type: 'string' },
      heartbeat: { type: 'string' },
      'retention-days': { type: 'string' },
      'retention-min-changes': { type: 'string' },
      'retention-mutation-days': { type: 'string' },
      'retention-history-days': { type: 'string' },
      'compact-every': { type: 'string' },
      'max-outbound-mb': { type: 'string' },
    });
    const dataDir = values.data ? resolve(values.data) : join(defaultDataDir(), 'servidor');
    if (positionals[0] === 'code') return newCode(dataDir);
    if (positionals[0] === 'publicar-atualizacao') {
      if (!positionals[1] || positionals.length > 2) throw new UsageError('Uso: comboio server publicar-atualizacao PASTA_DO_BUILD [--data PASTA]');
      const feedDir = join(dataDir, UPDATES_DIR_NAME);
      const r = await publishRelease(resolve(positionals[1]), feedDir);
      process.stdout.write(`Versão ${r.version} publicada em ${feedDir}: ${r.files.join(', ')}\nAs estações cadastradas baixam a atualização e instalam ao fechar o Comboio.\n`);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`Subcomando desconhecido: ${positionals[0]}`);
    if (!!values['tls-cert'] !== !!values['tls-key']) throw new UsageError('Use --tls-cert e --tls-key juntos.');
    if (values.insecure && values['tls-cert']) throw new UsageError('--insecure e --tls-cert não combinam.');
    assertLocalDisk(dataDir);
    const logging = await startLogging({ dataDir, name: 'servidor', echo: true });
    const server = await startLanServer({
      dataDir,
      port: parsePort(values.port, 7400),
      host: values.host ?? '0.0.0.0',
      ...(values['tls-cert'] && values['tls-key'] ? { tls: { certFile: resolve(values['tls-cert']), keyFile: resolve(values['tls-key']) } } : {}),
      insecure: values.insecure ?? false,
      demoUsers: values.demo ?? false,
      fiscalTrust: fiscalTrustFrom(values['sefaz-ca'] ?? process.env.COMBOIO_SEFAZ_CA),
      lockGraceMs: seconds(values['lock-grace'], 30, 'lock-grace'),
      heartbeatMs: seconds(values.heartbeat, 10, 'heartbeat'),
      syncRetention: retentionFrom(values),
      ...(values['max-outbound-mb'] !== undefined ? { maxOutboundBytes: megabytes(values['max-outbound-mb']) } : {}),
      version: appVersion(),
    });
    const { code, expiresAt } = server.newEnrollmentCode();
    process.stdout.write(
      [
        `Servidor LAN ouvindo em ${server.url}`,
        `Banco do servidor: ${server.dbFile}`,
        server.fingerprint
          ? `Impressão digital do certificado (SHA-256): ${server.fingerprint}`
          : 'ATENÇÃO: servidor sem TLS (--insecure): credenciais e dados passam em texto claro na rede.',
        `Código de cadastro de estação: ${code} (uso único, válido até ${expiresAt})`,
        ...(server.initialPasswordFile ? [`Senha inicial do administrador em ${server.initialPasswordFile}`] : []),
        `Registros (logs): ${logging.dir}`,
        `Atualizações para as estações (latest.yml + instalador): ${join(dataDir, UPDATES_DIR_NAME)}`,
        'Cadastre cada estação com um código (este, "comboio server code" ou Administração > Estações). Ctrl+C encerra.',
        '',
      ].join('\n'),
    );
    const signal = await untilSignal();
    process.stdout.write(`Encerrando (${signal})…\n`);
    await server.close();
    await logging.close();
    return 0;
  },
};
