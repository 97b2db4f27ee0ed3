import { groupCommand } from '../../group';
import { cteEmitCommand } from './emit';

// One file per subcommand.
export const cteCommand = groupCommand('cte', 'CT-e: emitir, transmitir, consultar, cancelar, CC-e, comprovante de entrega, desacordo', () => [cteEmitCommand]);
