import { benchCommand } from './bench/index';
import type { Command } from './command';
import { reportError } from './command';
import { certCommand } from './commands/cert';
import { nfeCommand } from './commands/nfe/index';
import { cteCommand } from './commands/cte/index';
import { sefazSimCommand } from './commands/sefaz-sim';
import { serverCommand } from './commands/server';
import { webCommand } from './commands/web';
import { danfeCommand } from './commands/danfe';
import { printCommand } from './commands/print';
import { printersCommand } from './commands/printers';

/** Every subcommand, in the order `comboio --help` lists them. */
const commands: Command[] = [webCommand, serverCommand, nfeCommand, cteCommand, certCommand, sefazSimCommand, danfeCommand, printCommand, printersCommand, benchCommand];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Comboio — faturamento de NF-e e CT-e para distribuidoras de combustíveis',
    '',
    'Uso: comboio <comando> [opções]',
    '',
    'Comandos:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Use "comboio <comando> --help" para as opções de cada comando.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`comboio: comando desconhecido "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportError(err);
  },
);
