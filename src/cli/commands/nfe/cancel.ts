import { existsSync, readFileSync } from 'node:fs';
import { procNFePath, readProtNFe } from '../../../core/sefaz/index';
import { findElement } from '../../../core/sefaz/xml';
import { UsageError, parseFlags, requireFlag, type Command } from '../../command';
import { SEFAZ_FLAGS, SEFAZ_USAGE, eventsFor, openSefazCli, requireChave } from './sefaz-options';

export const nfeCancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancela uma NF-e autorizada (até 24 horas após a autorização)',
  usage: `Uso: comboio nfe cancel CHAVE --reason TEXTO --uf UF --cert ARQ.pfx --password SENHA [opções]

${SEFAZ_USAGE}
  --reason TEXTO      justificativa (15 a 255 caracteres)

O protocolo e a hora da autorização vêm de <chave>-procNFe.xml em --out, da fila da
estação ou, na falta deles, da própria SEFAZ. Grava <chave>-110111-01-procEventoNFe.xml.`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { ...SEFAZ_FLAGS, reason: { type: 'string' } });
    const chave = requireChave(positionals);
    const reason = requireFlag(values.reason, 'reason');
    if (reason.trim().length < 15) throw new UsageError('A justificativa do cancelamento deve ter pelo menos 15 caracteres.');
    const s = openSefazCli(values);
    try {
      const procFile = procNFePath(s.outDir, chave);
      let known: { nProt: string; dhRecbto: string } | undefined;
      if (existsSync(procFile)) {
        const el = findElement(readFileSync(procFile, 'utf8'), 'protNFe');
        const prot = el ? readProtNFe(el) : undefined;
        if (prot?.nProt && prot.dhRecbto) known = { nProt: prot.nProt, dhRecbto: prot.dhRecbto };
      }
      const r = await eventsFor(s).cancel(chave, reason, known);
      process.stdout.write(`${r.cStat} ${r.xMotivo} — protocolo ${r.nProt}\nGravado ${r.procPath}\n`);
      return 0;
    } finally {
      s.close();
    }
  },
};
