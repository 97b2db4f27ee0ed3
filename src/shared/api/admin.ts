/** Expedição (print queue, reprint) and Administração (series, certificate, printers, LAN, SEFAZ). */

export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed' | 'cancelled';

export interface PrintJobDto {
  id: string;
  documentId: string | null;
  description: string;
  printer: string;
  state: PrintJobState;
  reason: string | null;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  reprint: boolean;
  /** A failed job whose first sheets printed whole can go on from this sheet ("Continuar da folha N"). */
  resumeSheet?: number | null;
}

export type PrinterKindDto = 'serial' | 'file' | 'tcp' | 'spool' | 'device';

export interface PrinterDto {
  id: string;
  name: string;
  kind: PrinterKindDto;
  /**
   * COM port / device path (serial), tcp://HOST:9100 (network), spool:NAME (printer installed
   * in the system), usb: / /dev/usb/lp0 / LPT1 (device) or output folder (file).
   */
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  flow: 'xonxoff' | 'rtscts' | 'none';
  layout: string;
  /** Calibration offsets in millimetres. */
  dx: number;
  dy: number;
  serialNumber: string | null;
  isDefault: boolean;
}

export interface PortDto {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  pnpId: string | null;
}

/** A printer installed in the operating system (Windows printers, CUPS queues): spool:NAME. */
export interface InstalledPrinterDto {
  name: string;
  isDefault: boolean;
  detail: string | null;
}

export interface SeriesAdminDto {
  id: string;
  cnpj: string;
  model: 55 | 57;
  serie: number;
  emissaoPropria: boolean;
  active: boolean;
  description: string | null;
  nextNumber: number;
  blockedBy: number | null;
}

export interface SeriesAuditDto {
  at: string;
  user: string;
  workstation: string;
  ip: string;
  action: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
}

export interface EstablishmentDto {
  cnpj: string;
  razaoSocial: string;
  nomeFantasia: string;
  ie: string;
  crt: 1 | 2 | 3;
  endereco: {
    logradouro: string;
    numero: string;
    bairro: string;
    cMun: string;
    municipio: string;
    uf: string;
    cep: string;
    fone: string | null;
  };
  /** Responsável técnico (infRespTec) sent with every NF-e; absent or null: the group is left out. */
  respTec?: RespTecDto | null;
}

export interface RespTecDto {
  cnpj: string;
  contato: string;
  email: string;
  fone: string;
  /** idCSRT (2 digits), only where the emitente's UF issued a CSRT. */
  idCSRT: string | null;
  /** The CSRT token: write-only (always null when read; null on save keeps the stored one). */
  csrt: string | null;
  /** Read-only: a CSRT is stored. */
  csrtInformado?: boolean;
}

/**
 * Another emitente of the group, typically the distributor's own transport company (another
 * CNPJ, its own A1 and its own CT-e séries). Replicated like the establishment; its
 * certificate is installed on each station that emits for it, sealed like the main A1.
 */
export interface EmitenteDto extends EstablishmentDto {
  /** Registro na ANTT (8 digits) of a transportadora: the CT-e dialog's default RNTRC. */
  rntrc: string | null;
}

export interface EmitenteInfoDto extends EmitenteDto {
  /** The establishment of "Estabelecimento emitente" (the NF-e emitente). */
  principal: boolean;
  certificate: CertificateInfoDto;
}

export interface CertificateInfoDto {
  installed: boolean;
  subject: string | null;
  cnpj: string | null;
  notBefore: string | null;
  notAfter: string | null;
  daysLeft: number | null;
  warning: string | null;
}

export type SefazEnvironment = 'simulador' | 'homologacao' | 'producao';

export interface SefazConfigDto {
  environment: SefazEnvironment;
  uf: string;
  simulatorUrl: string | null;
  schemasDir: string | null;
}

export interface LanConfigDto {
  /** Empty host = embedded server in this process (single-workstation default). */
  host: string;
  port: number;
  /** wss (default). False only for a server started with --insecure: the status bar warns. */
  tls: boolean;
  workstation: string;
  /** One-time enrollment code (write-only: always empty when read). */
  code?: string;
  /** Read-only: this station holds a credential of that server. */
  enrolled?: boolean;
  /** Read-only: SHA-256 of the server certificate pinned at enrollment. */
  fingerprint?: string | null;
}

export interface AuditLineDto {
  at: string;
  user: string;
  action: string;
  detail: string;
}

export interface AdminMethods {
  'print.jobs': { params: { limit?: number }; result: PrintJobDto[] };
  'print.reprint': { params: { documentId: string; target: 'form' | 'pdf' }; result: PrintJobDto };
  'print.retry': { params: { jobId: string }; result: PrintJobDto };
  /** Requeues a failed job from a sheet on (default: the sheet it failed on). */
  'print.resume': { params: { jobId: string; fromSheet?: number }; result: PrintJobDto };
  'print.cancel': { params: { jobId: string }; result: PrintJobDto };
  'print.audit': { params: { documentId?: string }; result: AuditLineDto[] };
  'printers.list': { params: void; result: PrinterDto[] };
  'printers.ports': { params: void; result: PortDto[] };
  'printers.installed': { params: void; result: { printers: InstalledPrinterDto[]; error: string | null } };
  'printers.save': { params: PrinterDto; result: PrinterDto };
  'printers.calibrate': { params: { printerId: string }; result: PrintJobDto };
  'series.list': { params: void; result: SeriesAdminDto[] };
  'series.save': { params: Omit<SeriesAdminDto, 'id' | 'nextNumber' | 'blockedBy'> & { id?: string; nextNumber?: number }; result: SeriesAdminDto };
  'series.setNext': { params: { id: string; nextNumber: number; reason: string }; result: SeriesAdminDto };
  'series.audit': { params: { id: string }; result: SeriesAuditDto[] };
  'series.inutilizar': { params: { id: string; from: number; to: number; justificativa: string }; result: { cStat: string; xMotivo: string; nProt: string | null } };
  'establishment.get': { params: void; result: EstablishmentDto | null };
  'establishment.save': { params: EstablishmentDto; result: EstablishmentDto };
  'certificate.info': { params: void; result: CertificateInfoDto };
  'certificate.install': { params: { pfxBase64: string; password: string }; result: CertificateInfoDto };
  /** The principal establishment first, then the other emitentes, each with its certificate on this station. */
  'emitentes.list': { params: void; result: EmitenteInfoDto[] };
  'emitentes.save': { params: EmitenteDto; result: EmitenteInfoDto };
  'emitentes.installCertificate': { params: { cnpj: string; pfxBase64: string; password: string }; result: EmitenteInfoDto };
  'sefaz.config.get': { params: void; result: SefazConfigDto };
  'sefaz.config.save': { params: SefazConfigDto; result: SefazConfigDto };
  'lan.config.get': { params: void; result: LanConfigDto };
  'lan.config.save': { params: LanConfigDto; result: LanConfigDto };
  /** "Exportar diagnóstico": logs, versions, settings without secrets, queue states, as a zip. */
  'diagnostics.export': { params: void; result: { fileName: string; zipBase64: string } };
}

export const adminMethodNames = {
  'print.jobs': true,
  'print.reprint': true,
  'print.retry': true,
  'print.resume': true,
  'print.cancel': true,
  'print.audit': true,
  'printers.list': true,
  'printers.ports': true,
  'printers.installed': true,
  'printers.save': true,
  'printers.calibrate': true,
  'series.list': true,
  'series.save': true,
  'series.setNext': true,
  'series.audit': true,
  'series.inutilizar': true,
  'establishment.get': true,
  'establishment.save': true,
  'certificate.info': true,
  'certificate.install': true,
  'emitentes.list': true,
  'emitentes.save': true,
  'emitentes.installCertificate': true,
  'sefaz.config.get': true,
  'sefaz.config.save': true,
  'lan.config.get': true,
  'lan.config.save': true,
  'diagnostics.export': true,
} as const satisfies Record<keyof AdminMethods, true>;

export interface AdminEvents {
  'print.changed': { jobIds: string[] };
}
