import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildDiagnostics } from '../../core/log/diagnostics';
import { appVersion, defaultDataDir } from '../../core/paths';
import { parseFlags, requireFlag, UsageError, type Command } from '../command';

export const diagnosticoCommand: Command = {
  name: 'diagnostico',
  summary: 'Gera um pacote de diagnóstico (.zip) para o suporte: logs, versões, configurações sem segredos, filas',
  usage: `Uso: comboio diagnostico --out ARQUIVO.zip [--data PASTA]

  --out ARQ     arquivo .zip a gerar
  --data PASTA  pasta de dados da estação ou do servidor LAN (padrão: pasta de dados do usuário)

O pacote traz os arquivos de log (<dados>/logs), as versões do programa e do sistema, as
configurações sem senhas, certificados nem tokens, e o estado das filas (SEFAZ, impressão,
sincronização; no servidor: séries e travas). Pode ser gerado com o programa aberto.`,
  async run(argv) {
    const { values } = parseFlags(argv, { out: { type: 'string' }, data: { type: 'string' } });
    const out = resolve(requireFlag(values.out, 'out'));
    if (!out.toLowerCase().endsWith('.zip')) throw new UsageError('O arquivo de --out deve terminar em .zip.');
    const dataDir = values.data ? resolve(values.data) : defaultDataDir();
    if (!existsSync(dataDir)) throw new UsageError(`Pasta de dados não encontrada: ${dataDir}`);
    const { zip, files } = buildDiagnostics({ dataDir, version: appVersion(), host: 'cli' });
    writeFileSync(out, zip);
    process.stdout.write(`Diagnóstico gravado em ${out} (${Math.ceil(zip.byteLength / 1024)} KB)\n${files.map((f) => `  ${f}`).join('\n')}\n`);
    return 0;
  },
};
