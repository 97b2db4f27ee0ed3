import type { Command } from './command';

/**
 * The table of contents of `comboio`: name and summary of each command, and how to load
 * it. A command's module (and everything it imports: SQLite, the fiscal core, the
 * server) is loaded only when that command runs, so `comboio --help` and a short command
 * do not pay for the others (tests/unit/cli/registry.test.ts keeps the summaries equal to
 * the modules').
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { name: 'web', summary: 'Abre o Comboio no navegador (host local da mesma interface do aplicativo)', load: async () => (await import('./commands/web')).webCommand },
  { name: 'server', summary: 'Servidor LAN: numeração de NF-e/CT-e e travas de pedidos para várias estações', load: async () => (await import('./commands/server')).serverCommand },
  { name: 'nfe', summary: 'NF-e: emitir, validar, transmitir, consultar, cancelar, CC-e, inutilizar', load: async () => (await import('./commands/nfe/index')).nfeCommand },
  {
    name: 'cte',
    summary: 'CT-e: emitir, transmitir, consultar, cancelar, CC-e, comprovante de entrega, desacordo',
    load: async () => (await import('./commands/cte/index')).cteCommand,
  },
  { name: 'cert', summary: 'Certificado digital A1: gerar de teste, conferir', load: async () => (await import('./commands/cert')).certCommand },
  {
    name: 'sefaz-sim',
    summary: 'Simulador local da SEFAZ (NF-e 4.00, SOAP 1.2, TLS mútuo, homologação) com modos de falha',
    load: async () => (await import('./commands/sefaz-sim')).sefazSimCommand,
  },
  { name: 'danfe', summary: 'Gera o DANFE (PDF A4 ou ESC/P do formulário contínuo) de uma NF-e autorizada', load: async () => (await import('./commands/danfe')).danfeCommand },
  { name: 'dacte', summary: 'Gera o DACTE (PDF A4 ou ESC/P do formulário contínuo) de um CT-e', load: async () => (await import('./commands/dacte')).dacteCommand },
  { name: 'print', summary: 'Imprime o DANFE ou o DACTE (ou a página de calibração) na impressora matricial', load: async () => (await import('./commands/print')).printCommand },
  { name: 'printers', summary: 'Impressoras: listar portas, cadastrar, calibrar', load: async () => (await import('./commands/printers')).printersCommand },
  { name: 'setup', summary: 'Instalação dos arquivos oficiais (schemas da NF-e/CT-e e ACs ICP-Brasil)', load: async () => (await import('./commands/setup')).setupCommand },
  {
    name: 'diagnostico',
    summary: 'Gera um pacote de diagnóstico (.zip) para o suporte: logs, versões, configurações sem segredos, filas',
    load: async () => (await import('./commands/diagnostico')).diagnosticoCommand,
  },
  { name: 'bench', summary: 'Benchmarks (números por segundo, lado a lado com um par)', load: async () => (await import('./bench/index')).benchCommand },
];
