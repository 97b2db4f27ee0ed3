import type { Command } from './command';

/** A command with subcommands (`comboio nfe emit`, `comboio bench numbering`). */
export function groupCommand(name: string, summary: string, subcommands: () => Command[]): Command {
  const list = () => subcommands();
  const usage = () => {
    const subs = list();
    const width = Math.max(8, ...subs.map((c) => c.name.length));
    return [`Uso: comboio ${name} <subcomando> [opções]`, '', ...subs.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
  };
  return {
    name,
    summary,
    get usage() {
      return usage();
    },
    async run(argv) {
      const [sub, ...rest] = argv;
      const command = list().find((c) => c.name === sub);
      if (!command) {
        process.stderr.write(`${sub ? `comboio ${name}: subcomando desconhecido "${sub}".\n\n` : ''}${usage()}\n`);
        return 2;
      }
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(command.usage + '\n');
        return 0;
      }
      return command.run(rest);
    },
  };
}
