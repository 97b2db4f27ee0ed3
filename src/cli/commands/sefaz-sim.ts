import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NFE_LAYOUTS, type NfeLayout } from '../../core/fiscal/schema-validate';
import { startLogging } from '../../core/log/index';
import { splitPems } from '../../core/sefaz/transport';
import { MODES, isMode, type Faults } from '../../sefaz-sim/faults';
import { schemaCheckFor } from '../../sefaz-sim/schema-check';
import { startSimulator } from '../../sefaz-sim/server';
import { isSimTarget, SIM_TARGETS, type SimTarget } from '../../sefaz-sim/contingency';
import { UF_CODES, type Uf } from '../../core/sefaz/endpoints';
import { UsageError, parseFlags, parsePort, requireFlag, untilSignal, type Command } from '../command';

function rate(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${flag} deve ser um número entre 0 e 1.`);
  return n;
}

function millis(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} deve ser um número inteiro de milissegundos.`);
  return n;
}

export const sefazSimCommand: Command = {
  name: 'sefaz-sim',
  summary: 'Simulador local da SEFAZ (NF-e 4.00, SOAP 1.2, TLS mútuo, homologação) com modos de falha',
  usage: `Uso: comboio sefaz-sim --data PASTA --schemas PASTA [opções]

  --port N             porta HTTPS (padrão 8443; 0 = qualquer livre)
  --host ADDR          endereço de escuta (padrão 127.0.0.1)
  --admin-port N       porta HTTP local do endpoint de administração (padrão: qualquer livre)
  --data PASTA         pasta do simulador: AC própria (ca.pem), certificado do servidor, banco SQLite
  --schemas PASTA      pasta dos schemas oficiais (a que contém nfe/PL_009_V4)
  --layout L           pacote de schemas: ${NFE_LAYOUTS.join(' | ')} (padrão PL_009_V4)
  --trust ARQ.pem      aceita também certificados de cliente desta AC (repetível)
  --mode MODO          ${MODES.join(' | ')}
  --target ALVO        serviço a que --mode se aplica: ${SIM_TARGETS.join(' | ')} (padrão autorizador)
  --svc-ativo UF,UF    UFs com a SVC (contingência) ativada pela SEFAZ
  --slow-ms N          atraso do modo lento (padrão 5000)
  --reject-rate R      fração de rejeições aleatórias (0 a 1)
  --tmed-ms N          tempo médio dos lotes assíncronos (padrão 1000)
  --deny-dest CNPJ     NF-e para este destinatário são denegadas (302) (repetível)
  --seed N             semente das falhas aleatórias (reprodutível)

Serviços, cada um na sua porta e com o seu modo de falha: autorizador da UF (--port),
SVC-AN (+1), SVC-RS (+2), SVC-SP (+3, CT-e) e Ambiente Nacional (+4, EPEC de NF-e), com os
caminhos do SVRS homologação (/ws/NfeAutorizacao/NFeAutorizacao4.asmx …). Administração:
GET /admin/state, POST /admin/faults {"mode": …, "target": …}, POST /admin/svc {"ufs": [...]}.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'admin-port': { type: 'string' },
      data: { type: 'string' },
      schemas: { type: 'string' },
      layout: { type: 'string' },
      trust: { type: 'string', multiple: true },
      mode: { type: 'string' },
      target: { type: 'string' },
      'svc-ativo': { type: 'string', multiple: true },
      'slow-ms': { type: 'string' },
      'reject-rate': { type: 'string' },
      'tmed-ms': { type: 'string' },
      'deny-dest': { type: 'string', multiple: true },
      seed: { type: 'string' },
    });
    const dataDir = resolve(requireFlag(values.data, 'data'));
    const schemasDir = resolve(requireFlag(values.schemas, 'schemas'));
    const layout = (values.layout ?? 'PL_009_V4') as NfeLayout;
    if (!NFE_LAYOUTS.includes(layout)) throw new UsageError(`--layout deve ser ${NFE_LAYOUTS.join(' ou ')}.`);
    if (values.mode !== undefined && !isMode(values.mode)) throw new UsageError(`Modo desconhecido: ${values.mode}. Use ${MODES.join(', ')}.`);
    if (values.target !== undefined && !isSimTarget(values.target)) throw new UsageError(`Alvo desconhecido: ${values.target}. Use ${SIM_TARGETS.join(', ')}.`);
    const svcAtivo = (values['svc-ativo'] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean);
    const badUf = svcAtivo.find((u) => !(u in UF_CODES));
    if (badUf) throw new UsageError(`--svc-ativo: UF desconhecida ${badUf}.`);
    const faults: Partial<Faults> = {};
    const slowMs = millis(values['slow-ms'], 'slow-ms');
    if (slowMs !== undefined) faults.slowMs = slowMs;
    const rejectRate = rate(values['reject-rate'], 'reject-rate');
    if (rejectRate !== undefined) faults.rejectRate = rejectRate;
    const tMedMs = millis(values['tmed-ms'], 'tmed-ms');
    if (tMedMs !== undefined) faults.tMedMs = tMedMs;
    if (values['deny-dest']) faults.denyDest = values['deny-dest'];
    const logging = await startLogging({ dataDir, name: 'simulador', echo: true });
    const trusted = (values.trust ?? []).flatMap((f) => splitPems(readFileSync(resolve(f), 'utf8')));
    const sim = await startSimulator({
      dataDir,
      port: parsePort(values.port, 8443),
      host: values.host ?? '127.0.0.1',
      adminPort: parsePort(values['admin-port'], 0),
      schema: schemaCheckFor(schemasDir, layout),
      cteSchema: schemaCheckFor(schemasDir, 'PL_CTe_400'),
      trustedClientCaPems: trusted,
      ...(values.mode && isMode(values.mode) ? { mode: values.mode } : {}),
      ...(values.target && isSimTarget(values.target) ? { target: values.target } : {}),
      svcAtivo: svcAtivo as Uf[],
      faults,
      ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    });
    process.stdout.write(
      `SEFAZ simulador (homologação, NF-e 4.00) em ${sim.url}\n` +
        `AC do simulador: ${sim.caFile}\n` +
        `Administração: ${sim.adminUrl}/admin/state\n` +
        `Modo: ${sim.faults().mode}${values.target && values.target !== 'autorizador' ? ` (autorizador); ${values.target}: ${sim.faults(values.target as SimTarget).mode}` : ''}\n` +
        `SVC: SVC-AN ${sim.urls['svc-an']}, SVC-RS ${sim.urls['svc-rs']}, SVC-SP ${sim.urls['svc-sp']}; ativa para ${svcAtivo.length ? svcAtivo.join(', ') : 'nenhuma UF'}\n` +
        `Ambiente Nacional (EPEC): ${sim.urls.an}\n` +
        `SEFAZ_SIM_URL=${sim.url} SEFAZ_SIM_ADMIN=${sim.adminUrl} SEFAZ_SIM_CA=${sim.caFile}\n`,
    );
    await untilSignal();
    await sim.close();
    await logging.close();
    return 0;
  },
};
