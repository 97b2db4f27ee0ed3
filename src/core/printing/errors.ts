/** Stable error codes of the printing domain (messages are pt-BR, codes never change meaning). */
export const PrintingErrors = {
  INVALID_DOCUMENT: 'PRINT_INVALID_DOCUMENT',
  NOT_AUTHORIZED: 'PRINT_NOT_AUTHORIZED',
  LAYOUT_INVALID: 'PRINT_LAYOUT_INVALID',
  LAYOUT_NOT_FOUND: 'PRINT_LAYOUT_NOT_FOUND',
  /** A printer's dx/dy would push a field of the layout off the form. */
  CALIBRATION_OUT_OF_FORM: 'PRINT_CALIBRATION_OUT_OF_FORM',
  PORT_NOT_FOUND: 'PRINT_PORT_NOT_FOUND',
  PORT_OPEN_FAILED: 'PRINT_PORT_OPEN_FAILED',
  PRINTER_OFFLINE: 'PRINT_PRINTER_OFFLINE',
  PRINTER_DISCONNECTED: 'PRINT_PRINTER_DISCONNECTED',
  /** A network printer refused or did not answer the connection. */
  PRINTER_UNREACHABLE: 'PRINT_PRINTER_UNREACHABLE',
  /** The system's print queue (Windows spooler, CUPS) refused or failed the job. */
  SPOOLER_FAILED: 'PRINT_SPOOLER_FAILED',
  PRINTER_NOT_FOUND: 'PRINT_PRINTER_NOT_FOUND',
  PRINTER_INVALID: 'PRINT_PRINTER_INVALID',
  JOB_NOT_FOUND: 'PRINT_JOB_NOT_FOUND',
  JOB_STATE: 'PRINT_JOB_STATE',
  JOB_CANCELLED: 'PRINT_JOB_CANCELLED',
  JOB_INTERRUPTED: 'PRINT_JOB_INTERRUPTED',
  /** A queued job that starts at a given sheet (the earlier ones printed whole before a fault). */
  RESUME_FROM_SHEET: 'PRINT_RESUME_FROM_SHEET',
} as const;
