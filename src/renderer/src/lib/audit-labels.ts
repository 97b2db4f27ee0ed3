/** What the LAN server's audit actions mean, as a person reads them (#22 item 6: never `series.setNext`). */
const ACTIONS: Record<string, string> = {
  'series.create': 'Série criada',
  'series.setNext': 'Próximo número alterado',
  'number.state': 'Situação do número',
  'number.inutilize': 'Números inutilizados',
  'numbers.update.refused': 'Situação do número recusada',
  'import.accept': 'Nota importada',
  'lock.adminRelease': 'Trava de pedido liberada',
  'lock.reclaim': 'Trava retomada após reinício',
  'contingency.priority': 'Prioridade de contingência',
};

const SERIES_FIELDS: Record<string, string> = {
  active: 'ativa/inativa',
  description: 'descrição',
  emissaoPropria: 'emissão própria',
};

export function serverAuditLabel(action: string): string {
  if (ACTIONS[action]) return ACTIONS[action];
  const m = /^series\.update\.(.+)$/.exec(action);
  if (m) return `Série alterada (${SERIES_FIELDS[m[1]!] ?? m[1]})`;
  return 'Outra alteração';
}
