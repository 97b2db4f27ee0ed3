import { parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, eventsFor, openSefazCli, requireChave } from './sefaz-options';

export const nfeCceCommand: Command = {
  name: 'cce',
  summary: 'Envia carta de correção (acumulando as correções anteriores)',
  usage: `Uso: comboio nfe cce CHAVE --text TEXTO --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --text TEXTO        correção (15 a 1000 caracteres no total)

Cada CC-e substitui as anteriores: o texto enviado repete as correções já registradas
(consultadas na SEFAZ) seguidas da nova. Não corrige valores, partes nem datas.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, text: { type: 'string' } });
    const chave = requireChave(positionals);
    const text = requireFlag(values.text, 'text');
    const s = openSefazCli(values);
    try {
      const r = await eventsFor(s).cce(chave, text);
      process.stdout.write(`${r.cStat} ${r.xMotivo} — sequência ${r.nSeqEvento}, protocolo ${r.nProt}\nTexto registrado: ${r.xCorrecao}\nGravado ${r.procPath}\n`);
      return 0;
    } finally {
      s.close();
    }
  },
};
