import type { LockHolderDto } from '../../../../../../shared/api/index';
import { formatTime } from '../../../../lib/dates';

/** "Pedido em faturamento por Maria Souza (estação CAIXA-2) desde 14:05: somente consulta." */
export function holderMessage(h: LockHolderDto): string {
  return `Pedido em faturamento por ${h.name} (estação ${h.workstation}, IP ${h.ip}) desde ${formatTime(h.since)}: somente consulta até ele terminar.`;
}
