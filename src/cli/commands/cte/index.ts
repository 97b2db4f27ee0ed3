import { groupCommand } from '../../group';
import { cteCancelCommand } from './cancel';
import { cteCceCommand } from './cce';
import { cteConsultCommand } from './consult';
import { cteDesacordoCommand } from './desacordo';
import { cteEmitCommand } from './emit';
import { cteEntregaCommand } from './entrega';
import { cteSendCommand } from './send';
import { cteStatusCommand } from './status';

// One file per subcommand.
export const cteCommand = groupCommand('cte', 'CT-e: emitir, transmitir, consultar, cancelar, CC-e, comprovante de entrega, desacordo', () => [
  cteEmitCommand,
  cteSendCommand,
  cteStatusCommand,
  cteConsultCommand,
  cteCancelCommand,
  cteCceCommand,
  cteEntregaCommand,
  cteDesacordoCommand,
]);
