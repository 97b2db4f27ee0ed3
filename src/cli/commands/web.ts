import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCore } from '../../core/app';
import { defaultDataDir, defaultProjectPaths } from '../../core/paths';
import { startWebHost } from '../../web-host/server';
import { parseFlags, parsePort, untilSignal, type Command } from '../command';

export const webCommand: Command = {
  name: 'web',
  summary: 'Abre o Comboio no navegador (host local da mesma interface do aplicativo)',
  usage: `Uso: comboio web [--port N] [--host ADDR] [--data PASTA] [--renderer PASTA]

  --port N        porta HTTP (padrão 5180; 0 = qualquer livre)
  --host ADDR     endereço de escuta (padrão 127.0.0.1 — só esta máquina)
  --data PASTA    pasta de dados da estação (padrão: pasta de dados do usuário)
  --renderer DIR  interface compilada (padrão out/renderer)`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      renderer: { type: 'string' },
    });
    const dataDir = values.data ? resolve(values.data) : defaultDataDir();
    const rendererDir = resolve(values.renderer ?? defaultProjectPaths().rendererDir);
    if (!existsSync(join(rendererDir, 'index.html'))) {
      process.stderr.write(`comboio: interface não compilada em ${rendererDir}. Rode "npm run build" antes.\n`);
      return 1;
    }
    const core = createCore({ dataDir, host: 'web' });
    const host = await startWebHost({
      core,
      rendererDir,
      host: values.host ?? '127.0.0.1',
      port: parsePort(values.port, 5180),
    });
    process.stdout.write(`Comboio aberto em ${host.url}\nDados em ${dataDir}\n`);
    await untilSignal();
    await host.close();
    await core.close();
    return 0;
  },
};
