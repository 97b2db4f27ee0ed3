import type { PrintJobState } from '../../../../shared/api/index';

export const JOB_STATE_LABELS: Record<PrintJobState, string> = {
  queued: 'Na fila',
  printing: 'Imprimindo',
  done: 'Impresso',
  failed: 'Falhou',
  cancelled: 'Cancelado',
};

export const JOB_STATE_COLORS: Record<PrintJobState, 'green' | 'yellow' | 'red' | 'grey'> = {
  queued: 'yellow',
  printing: 'yellow',
  done: 'green',
  failed: 'red',
  cancelled: 'grey',
};
