import { UsageError, parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, eventsFor, openSefazCli } from './sefaz-options';

function int(value: string | undefined, flag: string): number {
  const n = Number(requireFlag(value, flag));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} deve ser um número inteiro.`);
  return n;
}

export const nfeInutilizarCommand: Command = {
  name: 'inutilizar',
  summary: 'Inutiliza uma faixa de números nunca autorizados (até 10.000)',
  usage: `Uso: comboio nfe inutilizar --serie S --from A --to B --reason TEXTO --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --serie S           série
  --from A / --to B   faixa (inclusive), no máximo 10.000 números
  --reason TEXTO      justificativa (15 a 255 caracteres)
  --ano AA            ano dos números (padrão: ano atual). Prazo: dia 10 do mês seguinte.`,
  async run(argv) {
    const { values } = parseFlags(argv, { ...SEFAZ_FLAGS, serie: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, ano: { type: 'string' } });
    const s = openSefazCli(values);
    try {
      const r = await eventsFor(s).inutilizar({
        serie: int(values.serie, 'serie'),
        nNFIni: int(values.from, 'from'),
        nNFFin: int(values.to, 'to'),
        xJust: requireFlag(values.reason, 'reason'),
        ...(values.ano ? { ano: values.ano } : {}),
      });
      process.stdout.write(`${r.cStat} ${r.xMotivo}${r.nProt ? ` — protocolo ${r.nProt}` : ''}\n${r.procPath ? `Gravado ${r.procPath}\n` : ''}`);
      return 0;
    } finally {
      s.close();
    }
  },
};
