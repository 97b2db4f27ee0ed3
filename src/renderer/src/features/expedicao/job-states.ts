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

/** Audit action codes from the core, as the warehouse reads them. */
const AUDIT_ACTIONS: Record<string, string> = {
  print: 'Impressão',
  'print.pdf': 'PDF gerado',
  'print.calibration': 'Página de calibração',
  'print.reprint': 'Reimpressão',
  'print.reprint.form': 'Reimpressão no formulário',
  'print.reprint.pdf': 'Reimpressão em PDF',
  'print.retry': 'Nova tentativa',
  'print.resume': 'Continuação a partir de uma folha',
  'print.cancel': 'Impressão cancelada',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? 'Outra ação de impressão';
}
