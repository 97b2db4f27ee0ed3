import { join, resolve } from 'node:path';
import { startLogging } from '../../core/log/index';
import { appVersion, defaultDataDir } from '../../core/paths';
import { startLanServer } from '../../server/index';
import { assertLocalDisk } from '../../server/storage-check';
import { parseFlags, parsePort, untilSignal, UsageError, type Command } from '../command';

function seconds(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new UsageError(`Valor inválido para --${flag}: ${value}`);
  return n * 1000;
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'Servidor LAN: numeração de NF-e/CT-e e travas de pedidos para várias estações',
  usage: `Uso: comboio server [--data PASTA] [--port N] [--host ADDR] [--tls-cert ARQ --tls-key ARQ]

  --data PASTA          pasta do banco do servidor, em disco LOCAL (padrão: <dados do usuário>/servidor)
  --port N              porta (padrão 7400; 0 = qualquer livre)
  --host ADDR           endereço de escuta (padrão 0.0.0.0 — todas as interfaces da rede local)
  --tls-cert ARQ        certificado PEM: ativa TLS (wss://)
  --tls-key ARQ         chave privada PEM do certificado
  --lock-grace SEG      quanto tempo uma estação desconectada mantém as travas (padrão 30)
  --heartbeat SEG       intervalo do ping de conexão (padrão 10)
  --admins U1,U2        usuários com permissão de administrador (padrão: todos com o token)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'lock-grace': { type: 'string' },
      heartbeat: { type: 'string' },
      admins: { type: 'string' },
    });
    if (!!values['tls-cert'] !== !!values['tls-key']) throw new UsageError('Use --tls-cert e --tls-key juntos.');
    const dataDir = values.data ? resolve(values.data) : join(defaultDataDir(), 'servidor');
    assertLocalDisk(dataDir);
    const logging = await startLogging({ dataDir, name: 'servidor', echo: true });
    const server = await startLanServer({
      dataDir,
      port: parsePort(values.port, 7400),
      host: values.host ?? '0.0.0.0',
      ...(values['tls-cert'] && values['tls-key'] ? { tls: { certFile: resolve(values['tls-cert']), keyFile: resolve(values['tls-key']) } } : {}),
      lockGraceMs: seconds(values['lock-grace'], 30, 'lock-grace'),
      heartbeatMs: seconds(values.heartbeat, 10, 'heartbeat'),
      admins: values.admins ? values.admins.split(',').map((u) => u.trim()).filter(Boolean) : null,
      version: appVersion(),
    });
    process.stdout.write(
      [
        `Servidor LAN ouvindo em ${server.url}`,
        `Banco do servidor: ${server.dbFile}`,
        `Token de instalação${server.tokenCreated ? ' (novo)' : ''}: ${server.token}`,
        `Arquivo do token: ${server.tokenFile}`,
        `Registros (logs): ${logging.dir}`,
        'Digite o token uma vez em cada estação (Configurações → Servidor). Ctrl+C encerra.',
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
