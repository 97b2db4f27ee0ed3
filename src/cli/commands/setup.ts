import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { isoWithOffset } from '../../core/clock';
import { defaultDataDir } from '../../core/paths';
import { installSchemaPackages } from '../../core/setup/schema-packages';
import { parseFlags, requireFlag, UsageError, type Command } from '../command';
import { groupCommand } from '../group';

const fiscal: Command = {
  name: 'fiscal',
  summary: 'Instala os pacotes oficiais de schemas da NF-e/CT-e conferidos pelos resumos SHA-256 conhecidos',
  usage: `Uso: comboio setup fiscal --from PASTA [--data PASTA] [--aceitar PACOTE=SHA256 ...]

  --from PASTA       pasta com os pacotes baixados dos portais oficiais (nfe/PL_010_V1.30, cte/PL_CTe_400 …)
  --data PASTA       pasta de dados (padrão: pasta de dados do usuário); instala em <dados>/schemas
  --aceitar P=SHA    aceita um pacote que esta versão não conhece, com o resumo mostrado na recusa
                     (só administradores; fica registrado em <dados>/schemas/aceitos.log)

Um pacote conhecido só é instalado se todos os seus arquivos conferirem com o publicado;
se um pacote não conferir, nada é instalado. Depois, aponte Administração › SEFAZ › pasta
dos schemas para <dados>/schemas.`,
  async run(argv) {
    const { values } = parseFlags(argv, { from: { type: 'string' }, data: { type: 'string' }, aceitar: { type: 'string', multiple: true } });
    const from = resolve(requireFlag(values.from, 'from'));
    if (/^https?:\/\//.test(values.from ?? '')) throw new UsageError('Baixar por URL ainda não é suportado: baixe os pacotes e use --from PASTA.');
    const accept: Record<string, string> = {};
    for (const a of values.aceitar ?? []) {
      const m = /^([a-z]+\/[\w.-]+)=([0-9a-f]{64})$/.exec(a);
      if (!m) throw new UsageError(`--aceitar deve ser PACOTE=SHA256 (64 hexadecimais): ${a}`);
      accept[m[1]!] = m[2]!;
    }
    const to = join(values.data ? resolve(values.data) : defaultDataDir(), 'schemas');
    const installed = installSchemaPackages({ from, to, accept, by: userInfo().username, now: isoWithOffset(new Date()) });
    process.stdout.write(
      `Schemas instalados em ${to}:\n${installed.map((p) => `  ${p.name}  ${p.files} arquivos  ${p.digest}${p.acceptedByAdmin ? '  (aceito pelo administrador)' : ''}`).join('\n')}\n`,
    );
    return 0;
  },
};

export const setupCommand = groupCommand('setup', 'Instalação dos arquivos oficiais (schemas da NF-e/CT-e)', () => [fiscal]);
