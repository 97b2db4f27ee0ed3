import { groupCommand } from '../../group';
import { nfeDevolucaoCommand } from './devolucao';
import { nfeEmitCommand } from './emit';
import { nfeValidateCommand } from './validate';
import { nfeCancelCommand } from './cancel';
import { nfeCceCommand } from './cce';
import { nfeConsultCommand } from './consult';
import { nfeInutilizarCommand } from './inutilizar';
import { nfeSendCommand } from './send';
import { nfeStatusCommand } from './status';

// One file per subcommand (emit, devolucao, validate, send, status, consult, cancel, cce, inutilizar).
export const nfeCommand = groupCommand('nfe', 'NF-e: emitir, validar, transmitir, consultar, cancelar, CC-e, inutilizar', () => [
  nfeEmitCommand,
  nfeDevolucaoCommand,
  nfeValidateCommand,
  nfeSendCommand,
  nfeStatusCommand,
  nfeConsultCommand,
  nfeCancelCommand,
  nfeCceCommand,
  nfeInutilizarCommand,
]);
