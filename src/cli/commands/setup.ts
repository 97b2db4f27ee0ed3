import { resolve } from 'node:path';
import { userInfo } from 'node:os';
import { defaultDataDir } from '../../core/paths';
import { fiscalFilesDirs, ICP_BUNDLE_FILE, setupFiscalFiles } from '../../core/setup/fiscal-files';
import { parseFlags, requireFlag, UsageError, type Command } from '../command';
import { groupCommand } from '../group';

const fiscal: Command = {
  name: 'fiscal',
  summary: 'Instala os schemas oficiais da NF-e/CT-e e as ACs ICP-Brasil, conferidos (SHA-256 e raízes fixadas)',
  usage: `Uso: comboio setup fiscal --from PASTA|ARQUIVO.zip|https://… [--data PASTA] [--aceitar PACOTE=SHA256 …] [--aceitar-raiz SHA256 …]

  --from ORIGEM        pasta, .zip ou endereço HTTPS de um .zip com nfe/<pacote>, cte/<pacote> e/ou
                       icp-brasil/ (certificados .crt/.cer/.pem ou o ACcompactado.zip do ITI);
                       o próprio ACcompactado.zip do ITI também serve (só as ACs)
  --data PASTA         pasta de dados (padrão: pasta de dados do usuário); instala em
                       <dados>/schemas e <dados>/icp-brasil
  --aceitar P=SHA      aceita um pacote de schemas que esta versão não conhece, com o resumo
                       mostrado na recusa (só administradores; registrado em <dados>/schemas/aceitos.log)
  --aceitar-raiz SHA   aceita uma raiz ICP-Brasil nova pela impressão digital SHA-256 mostrada na
                       recusa, depois de conferi-la no site do ITI (só administradores;
                       registrado em <dados>/icp-brasil/aceitos.log)

Um pacote de schemas conhecido só é instalado se todos os arquivos conferirem com o publicado;
as ACs só se todas se encadearem, assinatura por assinatura, a uma raiz ICP-Brasil fixada
nesta versão (v5, v10, v11, v12). Se algo não conferir, nada é instalado. Depois, o cliente da
SEFAZ confia nas ACs instaladas e a conferência de schema usa <dados>/schemas sozinha.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      from: { type: 'string' },
      data: { type: 'string' },
      aceitar: { type: 'string', multiple: true },
      'aceitar-raiz': { type: 'string', multiple: true },
    });
    const from = requireFlag(values.from, 'from');
    const acceptPackages: Record<string, string> = {};
    for (const a of values.aceitar ?? []) {
      const m = /^([a-z]+\/[\w.-]+)=([0-9a-f]{64})$/.exec(a);
      if (!m) throw new UsageError(`--aceitar deve ser PACOTE=SHA256 (64 hexadecimais): ${a}`);
      acceptPackages[m[1]!] = m[2]!;
    }
    const acceptRoots = (values['aceitar-raiz'] ?? []).map((r) => {
      if (!/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/.test(r)) throw new UsageError(`--aceitar-raiz deve ser a impressão digital SHA-256 como mostrada na recusa (AA:BB:…, 32 pares): ${r}`);
      return r.toUpperCase();
    });
    const dataDir = values.data ? resolve(values.data) : defaultDataDir();
    const r = await setupFiscalFiles({ from: /^https?:\/\//i.test(from) ? from : resolve(from), dataDir, acceptPackages, acceptRoots, by: userInfo().username, now: new Date() });
    const dirs = fiscalFilesDirs(dataDir);
    const out: string[] = [];
    if (r.packages.length > 0) {
      out.push(`Schemas instalados em ${dirs.schemas}:`, ...r.packages.map((p) => `  ${p.name}  ${p.files} arquivos  ${p.digest}${p.acceptedByAdmin ? '  (aceito pelo administrador)' : ''}`));
    }
    if (r.ca) {
      const roots = r.ca.installed.filter((c) => c.root);
      out.push(
        `ACs ICP-Brasil instaladas em ${dirs.icpBrasil}/${ICP_BUNDLE_FILE}: ${r.ca.installed.length} (${roots.length} raízes: ${roots.map((c) => c.name).join(', ')})`,
        ...r.ca.acceptedRoots.map((a) => `  raiz aceita pelo administrador: ${a.name} ${a.fingerprint}`),
        ...(r.ca.skipped.length ? [`  não instaladas: ${r.ca.skipped.length} (${[...new Set(r.ca.skipped.map((s) => s.reason))].join('; ')})`] : []),
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};

export const setupCommand = groupCommand('setup', 'Instalação dos arquivos oficiais (schemas da NF-e/CT-e e ACs ICP-Brasil)', () => [fiscal]);
