import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../../core/app';
import { INITIAL_PASSWORD_FILE } from '../../server/index';
import { startLogging } from '../../core/log/index';
import { defaultDataDir, defaultProjectPaths } from '../../core/paths';
import { DEMO_CERT_PASSWORD, readDemoCertificate, startStationServices, type Embedded } from '../../web-host/embedded';
import { startWebHost } from '../../web-host/server';
import { parseFlags, parsePort, untilSignal, UsageError, type Command } from '../command';

export const webCommand: Command = {
  name: 'web',
  summary: 'Abre o Comboio no navegador (host local da mesma interface do aplicativo)',
  usage: `Uso: comboio web [--port N] [--host ADDR] [--data PASTA] [opções]

Sem configuração, inicia junto um servidor LAN embutido, o simulador da SEFAZ, um
certificado de teste, a impressora-arquivo e dados de demonstração.

  --port N            porta HTTP (padrão 5180; 0 = qualquer livre)
  --host ADDR         endereço de escuta (padrão 127.0.0.1 — só esta máquina)
  --data PASTA        pasta de dados da estação (padrão: pasta de dados do usuário)
  --workstation NOME  nome desta estação na rede (padrão: nome do computador)
  --lan HOST:PORTA    usar um servidor LAN externo (comboio server) em vez do embutido
  --lan-code-file ARQ código de cadastro desta estação (uso único; ou a variável COMBOIO_LAN_CODE)
  --lan-insecure      o servidor externo roda sem TLS (--insecure): dados em texto claro
  --sim-url URL       simulador da SEFAZ externo (comboio sefaz-sim)
  --sim-ca ARQUIVO    AC do simulador externo (ca.pem da pasta dele)
  --schemas PASTA     pasta dos schemas oficiais (a que contém nfe/PL_010_V1.30)
  --cert ARQ.pfx      certificado A1 a instalar nesta estação (com --cert-password)
  --cert-password-file ARQ  arquivo com a senha do certificado (ou a variável COMBOIO_CERT_PASSWORD)
  --demo              cadastra os dados de demonstração (padrão com o servidor embutido)
  --contingencia-poll S  em contingência, consulta o status da SEFAZ a cada S segundos (padrão 30)
  --renderer DIR      interface compilada (padrão out/renderer)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      renderer: { type: 'string' },
      workstation: { type: 'string' },
      lan: { type: 'string' },
      'lan-code-file': { type: 'string' },
      'lan-insecure': { type: 'boolean' },
      'sim-url': { type: 'string' },
      'sim-ca': { type: 'string' },
      schemas: { type: 'string' },
      demo: { type: 'boolean' },
      cert: { type: 'string' },
      'cert-password-file': { type: 'string' },
      'contingencia-poll': { type: 'string' },
    });
    const pollS = values['contingencia-poll'] === undefined ? undefined : Number(values['contingencia-poll']);
    if (pollS !== undefined && !(Number.isFinite(pollS) && pollS >= 0.2 && pollS <= 3600)) throw new UsageError('--contingencia-poll deve ser um número de segundos entre 0,2 e 3600.');
    // Secrets never on the command line (visible to every user in the process list).
    const secret = (file: string | undefined, env: string): string | undefined =>
      file ? readFileSync(resolve(file), 'utf8').trim() : process.env[env]?.trim() || undefined;
    const lanCode = secret(values['lan-code-file'], 'COMBOIO_LAN_CODE');
    const certPassword = secret(values['cert-password-file'], 'COMBOIO_CERT_PASSWORD') ?? '';
    const dataDir = values.data ? resolve(values.data) : defaultDataDir();
    const rendererDir = resolve(values.renderer ?? defaultProjectPaths().rendererDir);
    if (!existsSync(join(rendererDir, 'index.html'))) {
      process.stderr.write(`comboio: interface não compilada em ${rendererDir}. Rode "npm run build" antes.\n`);
      return 1;
    }
    const logging = await startLogging({ dataDir, name: 'estacao' });
    const external = values.lan ? /^(.+):(\d+)$/.exec(values.lan) : null;
    if (values.lan && !external) throw new UsageError('Use --lan HOST:PORTA.');
    // Demo data only where this station runs its own embedded server (or when asked).
    let demo = values.demo ?? false;
    let embedded: Embedded | null = null;

    const core = createCore({
      dataDir,
      host: 'web',
      get demo() {
        return demo;
      },
      ...(values.workstation ? { workstation: values.workstation } : {}),
      ...(pollS !== undefined ? { contingencyPollMs: Math.round(pollS * 1000) } : {}),
      prepare: async ({ settings, runtime }) => {
        if (values.schemas || values['sim-url']) {
          const current = settings.get<Record<string, unknown>>('sefaz.config', {});
          settings.set('sefaz.config', {
            environment: 'simulador',
            uf: 'SP',
            ...current,
            ...(values.schemas ? { schemasDir: resolve(values.schemas) } : {}),
            ...(values['sim-url'] ? { simulatorUrl: values['sim-url'] } : {}),
            ...(values['sim-ca'] ? { simulatorCaFile: resolve(values['sim-ca']) } : {}),
          });
        }
        if (external) {
          settings.set('lan.config', { host: external[1], port: Number(external[2]), tls: !values['lan-insecure'], workstation: values.workstation ?? '' });
          settings.set('lan.embedded', false);
          if (lanCode) {
            const e = await runtime.enrollLan(lanCode);
            process.stdout.write(`Estação ${e.workstation} cadastrada no servidor LAN. Impressão digital do certificado: ${e.fingerprint ?? 'sem TLS'}\n`);
          } else if (!runtime.lanConfig().enrolled) {
            throw new UsageError('Esta estação não está cadastrada nesse servidor LAN: informe o código de cadastro (--lan-code-file ou COMBOIO_LAN_CODE).');
          }
        }
        const started = await startStationServices({ dataDir, settings, runtime, skipSimulator: !!values['sim-url'] });
        embedded = started.embedded;
        demo = values.demo ?? started.demo;
        if (values.cert) runtime.storeCertificate(readFileSync(resolve(values.cert)), certPassword);
        else if (demo && !runtime.certificateSecret()) runtime.storeCertificate(readDemoCertificate(dataDir), DEMO_CERT_PASSWORD);
      },
    });
    await core.ready;
    const host = await startWebHost({ core, rendererDir, host: values.host ?? '127.0.0.1', port: parsePort(values.port, 5180) });
    const lan = core.runtime.lanConfig();
    process.stdout.write(
      `Comboio aberto em ${host.url}\nDados em ${dataDir}\nRegistros (logs) em ${logging.dir}\n` +
        (embedded ? `Servidor LAN embutido em ws://127.0.0.1:${lan.port} (dados em ${join(dataDir, 'servidor-lan')})\n` : `Servidor LAN: ${lan.host}:${lan.port}${lan.tls ? '' : ' (SEM TLS)'}\n`) +
        (demo ? 'Demonstração: usuários admin/admin123, faturista/fatura123, expedicao/expede123\n' : '') +
        (existsSync(join(dataDir, 'servidor-lan', INITIAL_PASSWORD_FILE)) ? `Senha inicial do administrador em ${join(dataDir, 'servidor-lan', INITIAL_PASSWORD_FILE)}\n` : ''),
    );
    await untilSignal();
    await host.close();
    await core.close();
    await (embedded as Embedded | null)?.close();
    await logging.close();
    return 0;
  },
};

