import { groupCommand } from '../../group';
import { nfeEmitCommand } from './emit';
import { nfeValidateCommand } from './validate';

// One file per subcommand (emit, validate, send, status, consult, cancel, cce, inutilizar).
export const nfeCommand = groupCommand('nfe', 'NF-e: emitir, validar, transmitir, consultar, cancelar, CC-e, inutilizar', () => [nfeEmitCommand, nfeValidateCommand]);
