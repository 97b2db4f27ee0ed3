import { ErrorCodes } from '../../../shared/errors';
import type { AdminMethods, CertificateInfoDto, EmitenteDto, EmitenteInfoDto, EstablishmentDto, LanConfigDto, PrintJobDto, PrinterDto, SefazConfigDto, SeriesAdminDto } from '../../../shared/api/admin';
import type { AppMethods } from '../../../shared/api/app';
import type { CallContext } from '../../../shared/api/index';
import { AppError, invalidInput } from '../../errors';
import { loadA1 } from '../../fiscal/certificate';
import { isValidCnpj, isValidIe } from '../../fiscal/documents';
import { seriesLabel, type SeriesInfo } from '../../numbering/protocol';
import { listPorts } from '../../printing/ports';
import { checkSettings, parsePrinterUri, type PrinterConfig, type PrinterSettings } from '../../printing/printer-config';
import { systemSpooler } from '../../printing/spooler';
import { offeredResumeSheet, type PrintJob } from '../../printing/queue';
import { PrintingErrors } from '../../printing/errors';
import { auditLog } from '../../store/schema/index';
import { desc, eq } from 'drizzle-orm';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { WorkstationRuntime } from '../runtime';
import type { Collection } from '../records';
import { DEFAULT_LAN } from '../runtime';
import { parseSeriesId, seriesId, type BillingService } from './billing';
import { establishmentOf } from './catalog';
import { allEmitentes, checkCertificateInstall, checkEmitente, EMITENTES, emitenteByCnpj } from '../emitentes';
import type { A1Certificate } from '../../fiscal/certificate';
import { checkedRespTec, withoutCsrt } from '../resp-tec-setting';
import { buildDiagnostics } from '../../log/diagnostics';
import { appVersion } from '../../paths';
import { isoWithOffset } from '../../clock';

/** "Pedido 12", "Cliente …": how the refusal list names a record (#22 item 5). */
function recordName(w: WorkstationContext, collection: string, id: string): string {
  const r = w.records.get<Record<string, unknown>>(collection as Collection, id) ?? {};
  const s = (k: string) => (typeof r[k] === 'string' || typeof r[k] === 'number' ? String(r[k]) : '');
  switch (collection) {
    case 'orders':
      return s('numeroPedido') ? `Pedido ${s('numeroPedido')}` : 'Pedido novo';
    case 'customers':
      return `Cliente ${s('nome')}`.trim();
    case 'products':
      return `Produto ${s('codigo')} – ${s('descricao')}`;
    case 'carriers':
      return `Transportadora ${s('nome')}`.trim();
    case 'vehicles':
      return `Veículo ${s('placa')}`.trim();
    case 'drivers':
      return `Motorista ${s('nome')}`.trim();
    case 'documents':
      return `${Number(r.model) === 57 ? 'CT-e' : 'NF-e'} ${s('number')} série ${s('serie')}`;
    default:
      return 'Registro compartilhado';
  }
}

type Methods = AdminMethods & Pick<AppMethods, 'sync.rejections' | 'sync.dismiss' | 'sync.rebuild'>;

const UFS = new Set('AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO'.split(' '));

function jobDto(j: PrintJob): PrintJobDto {
  return {
    id: String(j.id),
    documentId: j.documentKey,
    description: j.title,
    printer: j.printerName,
    state: j.state,
    reason: j.reason,
    requestedBy: j.requestedBy,
    requestedAt: j.requestedAt,
    finishedAt: j.finishedAt,
    reprint: j.reprintOf !== null,
    resumeSheet: offeredResumeSheet(j),
  };
}

function printerDto(p: PrinterConfig): PrinterDto {
  const s = p.settings;
  return {
    id: p.name,
    name: p.name,
    kind: s.kind,
    path: s.path,
    baudRate: s.kind === 'serial' ? s.baudRate : 9600,
    parity: s.kind === 'serial' ? s.parity : 'none',
    dataBits: s.kind === 'serial' ? s.dataBits : 8,
    flow: s.kind === 'serial' ? s.flow : 'none',
    layout: 'danfe-continuo',
    dx: p.calibration.dxMm,
    dy: p.calibration.dyMm,
    serialNumber: s.kind === 'serial' ? (s.serialNumber ?? null) : null,
    isDefault: p.isDefault ?? false,
  };
}

/** The screen's fields to transport settings: serial keeps its line settings, the others are one address. */
function settingsOf(p: PrinterDto): PrinterSettings {
  if (p?.kind === 'file') return { kind: 'file', path: String(p.path ?? '') };
  if (p?.kind === 'serial' || p?.kind === undefined) {
    return {
      kind: 'serial',
      path: String(p?.path ?? ''),
      baudRate: Number(p?.baudRate),
      parity: p?.parity,
      dataBits: p?.dataBits,
      stopBits: 1,
      flow: p?.flow,
      ...(p?.serialNumber ? { serialNumber: p.serialNumber } : {}),
    };
  }
  const parsed = parsePrinterUri(String(p.path ?? ''));
  if (parsed.kind !== p.kind) return checkSettings({ ...parsed, kind: p.kind } as PrinterSettings);
  return parsed;
}

function seriesDto(s: SeriesInfo): SeriesAdminDto {
  return {
    id: seriesId(s),
    cnpj: s.cnpj,
    model: s.model,
    serie: s.serie,
    emissaoPropria: s.emissaoPropria,
    active: s.active,
    description: s.description,
    nextNumber: s.nextNumber,
    blockedBy: s.blockedBy,
  };
}

export function adminHandlers(w: WorkstationContext, rt: WorkstationRuntime, billing: BillingService): DomainHandlers<Methods> {
  const lan = (ctx: CallContext) => rt.requireLan(w.sessions.require(ctx).user.login);

  const certInfo = (): CertificateInfoDto => {
    const c = rt.sefaz?.certificate;
    if (!c) return { installed: rt.certificateSecret() !== null, subject: null, cnpj: null, notBefore: null, notAfter: null, daysLeft: null, warning: rt.sefazError };
    return openCertInfo(c);
  };

  const openCertInfo = (c: A1Certificate): CertificateInfoDto => {
    const daysLeft = Math.floor((c.notAfter.getTime() - w.clock.now().getTime()) / 86_400_000);
    return {
      installed: true,
      subject: c.subject,
      cnpj: c.cnpj,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      daysLeft,
      warning: c.warnings[0]?.message ?? null,
    };
  };

  /** An emitente and its A1 on this station (the establishment's is the main certificate). */
  const emitenteInfo = (e: EmitenteDto & { principal: boolean }): EmitenteInfoDto => {
    if (e.principal) return { ...e, certificate: certInfo() };
    const opened = rt.sefaz?.cte.identities.get(e.cnpj);
    const stored = rt.emitenteCertificateCnpjs().includes(e.cnpj);
    const certificate: CertificateInfoDto = opened
      ? openCertInfo(opened.certificate)
      : {
          installed: stored,
          subject: null,
          cnpj: null,
          notBefore: null,
          notAfter: null,
          daysLeft: null,
          warning: rt.sefaz?.emitenteErrors.get(e.cnpj) ?? (stored ? rt.sefazError : 'Certificado A1 deste emitente não instalado nesta estação: ele não pode assinar CT-e aqui.'),
        };
    return { ...e, certificate };
  };

  return {
    'emitentes.list': (_p, ctx) => {
      w.sessions.require(ctx);
      return allEmitentes(w).map(emitenteInfo);
    },
    'emitentes.save': (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const e = checkEmitente(p);
      if (establishmentOf(w)?.cnpj === e.cnpj) throw invalidInput('Este é o CNPJ do estabelecimento emitente: altere-o em "Estabelecimento emitente".', 'cnpj');
      w.records.put<EmitenteDto>(EMITENTES, e.cnpj, e);
      w.audit(me.user.login, 'emitentes.save', `${e.cnpj} ${e.razaoSocial}${e.rntrc ? ` RNTRC ${e.rntrc}` : ''}`);
      return emitenteInfo({ ...e, principal: false });
    },
    'emitentes.installCertificate': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const { cnpj, pfxBase64, password } = checkCertificateInstall(p);
      const e = emitenteByCnpj(w, cnpj);
      if (!e) throw new AppError(ErrorCodes.NOT_FOUND, 'Cadastre o emitente antes de instalar o certificado dele.');
      if (e.principal) throw invalidInput('O certificado do estabelecimento emitente é instalado em "Certificado digital A1".', 'cnpj');
      const pfx = Buffer.from(pfxBase64, 'base64');
      // Refuses a wrong password, an expired certificate or one of another CNPJ base before storing anything.
      const cert = loadA1(pfx, password, { now: w.clock.now(), expectedCnpj: cnpj });
      rt.storeCertificate(pfx, password, cnpj);
      w.audit(me.user.login, 'emitentes.certificate', `${cnpj}: ${cert.subject} válido até ${cert.notAfter.toISOString().slice(0, 10)}`);
      await rt.reloadSefaz(establishmentOf(w)?.cnpj ?? null);
      return emitenteInfo(e);
    },
    'sync.rejections': (_p, ctx) => {
      w.sessions.require(ctx);
      return rt.replica.rejections().map((r) => ({ mutationId: r.mutationId, collection: r.collection, recordId: r.recordId, what: recordName(w, r.collection, r.recordId), code: r.code, message: r.message, at: r.at }));
    },
    'sync.dismiss': (p, ctx) => {
      w.sessions.require(ctx);
      rt.replica.dismiss(String(p?.mutationId ?? ''));
      rt.emitStatus();
      return null;
    },
    'sync.rebuild': async (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      if (!rt.replica.status().online) {
        throw new AppError('LAN_OFFLINE', 'Sem conexão com o servidor LAN: os dados locais só podem ser reconstruídos a partir dele. Nada foi alterado.');
      }
      await rt.replica.rebuild();
      const s = rt.replica.status();
      const records = rt.replica.recordCount();
      w.audit(me.user.login, 'sync.rebuild', `Dados locais reconstruídos a partir do servidor: ${records} registros; ${s.pending} alterações desta estação ainda a enviar (mantidas)`);
      rt.emitStatus();
      return { records, pending: s.pending, at: w.clock.now().toISOString() };
    },
    'print.jobs': (p, ctx) => {
      w.sessions.require(ctx, 'expedicao', 'faturista');
      return rt.printQueue.list({ limit: Math.min(Math.max(Number(p?.limit ?? 100), 1), 500) }).map(jobDto);
    },
    'print.reprint': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'expedicao', 'faturista');
      const job = await billing.print(String(p?.documentId ?? ''), p?.target === 'pdf' ? 'pdf' : 'form', me.user);
      if (!job) {
        const now = w.clock.now().toISOString();
        return { id: '', documentId: p.documentId, description: w.records.get<{ model: number }>('documents', String(p.documentId))?.model === 57 ? 'DACTE em PDF' : 'DANFE em PDF', printer: 'PDF', state: 'done', reason: null, requestedBy: me.user.login, requestedAt: now, finishedAt: now, reprint: true };
      }
      return jobDto(job as PrintJob);
    },
    'print.retry': (p, ctx) => {
      const me = w.sessions.require(ctx, 'expedicao', 'faturista');
      const job = rt.printQueue.retry(Number(p?.jobId));
      w.audit(me.user.login, 'print.retry', `trabalho ${job.id}`, job.documentKey);
      return jobDto(job);
    },
    'print.resume': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'expedicao', 'faturista');
      const id = Number(p?.jobId);
      const from = p?.fromSheet === undefined || p.fromSheet === null ? undefined : Number(p.fromSheet);
      if (!Number.isInteger(id) || id < 1) throw new AppError(PrintingErrors.JOB_NOT_FOUND, 'Informe o trabalho de impressão.', { field: 'jobId' });
      if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw new AppError(PrintingErrors.JOB_STATE, 'A folha deve ser um número inteiro a partir de 1.', { field: 'fromSheet' });
      const job = await rt.printQueue.resume(id, from);
      w.audit(me.user.login, 'print.resume', `trabalho ${job.id} ${job.reason ?? ''}`.trim(), job.documentKey);
      return jobDto(job);
    },
    'print.cancel': (p, ctx) => {
      const me = w.sessions.require(ctx, 'expedicao', 'faturista');
      const job = rt.printQueue.cancel(Number(p?.jobId), me.user.login);
      w.audit(me.user.login, 'print.cancel', `trabalho ${job.id}`, job.documentKey);
      return jobDto(job);
    },
    'print.audit': (p, ctx) => {
      w.sessions.require(ctx, 'expedicao', 'faturista');
      const q = w.store.db.select().from(auditLog);
      const rows = (p?.documentId ? q.where(eq(auditLog.documentId, p.documentId)) : q).orderBy(desc(auditLog.id)).limit(200).all();
      // A person reads the file's name, not the station's folder (#22 item 6).
      const noPaths = (d: string) => d.replace(/(?:[A-Za-z]:)?[\\/](?:[^\\/\s]+[\\/])+([^\\/\s]+)/g, '$1');
      return rows.filter((r) => r.action.startsWith('print')).map((r) => ({ at: r.at, user: r.user, action: r.action, detail: noPaths(r.detail) }));
    },
    'printers.list': (_p, ctx) => {
      w.sessions.require(ctx);
      rt.printers.getDefault(w.paths.dataDir);
      return rt.printers.list().map(printerDto);
    },
    'printers.ports': async (_p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      return (await listPorts()).map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, serialNumber: p.serialNumber ?? null, pnpId: p.pnpId ?? null }));
    },
    'printers.save': (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const saved = rt.printers.save({
        name: String(p?.name ?? ''),
        settings: settingsOf(p),
        calibration: { dxMm: Number(p.dx) || 0, dyMm: Number(p.dy) || 0 },
        isDefault: p.isDefault,
      });
      w.audit(me.user.login, 'printers.save', `${saved.name} (${saved.settings.kind} ${saved.settings.path}) dx=${saved.calibration.dxMm} dy=${saved.calibration.dyMm}`);
      return printerDto(saved);
    },
    'printers.installed': async (_p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      try {
        const list = await systemSpooler().list();
        return { printers: list.map((x) => ({ name: x.name, isDefault: x.isDefault, detail: x.detail ?? null })), error: null };
      } catch (err) {
        return { printers: [], error: err instanceof AppError ? err.message : 'Não foi possível ler as impressoras instaladas no sistema.' };
      }
    },
    'printers.calibrate': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador', 'expedicao');
      const printer = rt.printers.get(String(p?.printerId ?? ''));
      const job = await rt.printQueue.enqueue({ printer, kind: 'calibracao', requestedBy: me.user.login });
      w.audit(me.user.login, 'print.calibration', `página de calibração em ${printer.name}`);
      return jobDto(job);
    },
    'series.list': async (_p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      // The series of every emitente (the establishment's NF-e and CT-e, the transport company's CT-e).
      const cnpjs = new Set(allEmitentes(w).map((e) => e.cnpj));
      return (await (await lan(ctx)).listSeries()).filter((s) => cnpjs.size === 0 || cnpjs.has(s.cnpj)).map(seriesDto);
    },
    'series.save': async (p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      const e = establishmentOf(w);
      const cnpj = String(p?.cnpj || e?.cnpj || '');
      if (!isValidCnpj(cnpj)) throw invalidInput('CNPJ do estabelecimento inválido.', 'cnpj');
      const key = { cnpj, model: p.model, serie: Number(p.serie) };
      if (p.id) {
        const current = parseSeriesId(p.id);
        return seriesDto(await (await lan(ctx)).updateSeries({ series: current, emissaoPropria: p.emissaoPropria, active: p.active, description: p.description ?? null }));
      }
      return seriesDto(
        await (await lan(ctx)).createSeries({ ...key, emissaoPropria: p.emissaoPropria, active: p.active, description: p.description ?? null, ...(p.nextNumber ? { nextNumber: p.nextNumber } : {}) }),
      );
    },
    'series.setNext': async (p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      const reason = String(p?.reason ?? '').trim();
      if (reason.length < 5) throw invalidInput('Informe o motivo da alteração do próximo número.', 'reason');
      const r = await (await lan(ctx)).setNextNumber({ series: parseSeriesId(p.id), nextNumber: Number(p.nextNumber), reason });
      return seriesDto(r.series);
    },
    'series.audit': async (p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      const key = parseSeriesId(String(p?.id ?? ''));
      const rows = await (await lan(ctx)).auditLog(500);
      const label = seriesLabel(key);
      return rows
        .filter((r) => r.target === label)
        .map((r) => ({ at: r.at, user: r.user, workstation: r.workstation, ip: r.ip, action: r.action, oldValue: r.oldValue, newValue: r.newValue, reason: r.reason }));
    },
    'series.inutilizar': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const key = parseSeriesId(p?.id);
      // CT-e 4.00 has no inutilização service (FISCAL.md): an NF-e request would be wrong.
      if (key.model === 57) throw new AppError(ErrorCodes.CONFLICT, 'O CT-e 4.00 não tem inutilização de números na SEFAZ: os números não usados ficam registrados no servidor LAN (auditoria da série).');
      const from = Number(p.from);
      const to = Number(p.to);
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to < from) throw invalidInput('Faixa de números inválida.', 'from');
      if (to - from + 1 > 10_000) throw invalidInput('Inutilize no máximo 10.000 números por pedido.', 'to');
      const just = String(p.justificativa ?? '').trim();
      if (just.length < 15 || just.length > 255) throw invalidInput('A justificativa deve ter de 15 a 255 caracteres.', 'justificativa');
      if (!rt.sefaz) throw new AppError('SEFAZ_NOT_READY', 'SEFAZ não configurada.');
      // A durable intent: signed, sent, stored and given to the LAN server (only with SEFAZ's
      // signed protocol, which the server verifies), resumed after a crash.
      const r = await billing.intents.inutilizar(key, from, to, just, me.user);
      return { cStat: r.cStat, xMotivo: r.xMotivo, nProt: r.nProt };
    },
    'establishment.get': (_p, ctx) => {
      w.sessions.require(ctx);
      return withoutCsrt(establishmentOf(w));
    },
    'establishment.save': async (e, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const cnpj = String(e?.cnpj ?? '').replace(/[.\-/\s]/g, '').toUpperCase();
      if (!isValidCnpj(cnpj)) throw invalidInput('CNPJ inválido (confira os dígitos verificadores).', 'cnpj');
      if (!UFS.has(e.endereco?.uf)) throw invalidInput('UF inválida.', 'endereco.uf');
      if (!isValidIe(e.ie, e.endereco.uf)) throw invalidInput(`Inscrição estadual inválida para ${e.endereco.uf}.`, 'ie');
      if (!/^\d{7}$/.test(e.endereco.cMun)) throw invalidInput('Código IBGE do município deve ter 7 dígitos.', 'endereco.cMun');
      const saved: EstablishmentDto = { ...e, cnpj, respTec: checkedRespTec(e.respTec, establishmentOf(w)?.respTec) };
      w.records.put<EstablishmentDto>('establishment', 'main', saved);
      w.audit(me.user.login, 'establishment.save', `${cnpj} ${e.razaoSocial}`);
      await rt.reloadSefaz(cnpj);
      return withoutCsrt(establishmentOf(w))!;
    },
    'certificate.info': (_p, ctx) => {
      w.sessions.require(ctx);
      return certInfo();
    },
    'certificate.install': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const pfx = Buffer.from(String(p?.pfxBase64 ?? ''), 'base64');
      if (pfx.length === 0) throw invalidInput('Escolha o arquivo do certificado (.pfx ou .p12).', 'pfx');
      const expected = establishmentOf(w)?.cnpj;
      // Refuses a wrong password, an expired certificate or one of another CNPJ before storing anything.
      const cert = loadA1(pfx, String(p.password ?? ''), { now: w.clock.now(), ...(expected ? { expectedCnpj: expected } : {}) });
      rt.storeCertificate(pfx, String(p.password ?? ''));
      w.audit(me.user.login, 'certificate.install', `${cert.subject} válido até ${cert.notAfter.toISOString().slice(0, 10)}`);
      await rt.reloadSefaz(expected ?? cert.cnpj);
      return certInfo();
    },
    'sefaz.config.get': (_p, ctx) => {
      w.sessions.require(ctx);
      const { simulatorCaFile: _ca, ...cfg } = rt.sefazConfig();
      return cfg;
    },
    'sefaz.config.save': async (p: SefazConfigDto, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      if (!['simulador', 'homologacao', 'producao'].includes(p?.environment)) throw invalidInput('Ambiente inválido.', 'environment');
      if (!UFS.has(p.uf)) throw invalidInput('UF inválida.', 'uf');
      const current = rt.sefazConfig();
      w.settings.set('sefaz.config', { ...current, environment: p.environment, uf: p.uf, simulatorUrl: p.simulatorUrl ?? current.simulatorUrl, schemasDir: p.schemasDir ?? current.schemasDir });
      w.audit(me.user.login, 'sefaz.config.save', `${p.environment} ${p.uf}`);
      await rt.reloadSefaz(establishmentOf(w)?.cnpj ?? null);
      const { simulatorCaFile: _ca, ...cfg } = rt.sefazConfig();
      return cfg;
    },
    'diagnostics.export': (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const now = w.clock.now();
      const { zip } = buildDiagnostics({ dataDir: w.paths.dataDir, version: appVersion(), host: ctx.origin, now });
      w.audit(me.user.login, 'diagnostics.export', `${zip.byteLength} bytes`);
      return { fileName: `diagnostico-${w.workstation}-${isoWithOffset(now).slice(0, 19).replace(/[:T]/g, '-')}.zip`, zipBase64: Buffer.from(zip).toString('base64') };
    },
    'lan.config.get': (_p, ctx) => {
      w.sessions.require(ctx);
      return rt.lanConfig();
    },
    // A new address or a code enrolls this station again (the code is used once, at the server).
    'lan.config.save': async (p: LanConfigDto, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const port = Number(p?.port ?? DEFAULT_LAN.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidInput('Porta inválida.', 'port');
      const host = String(p.host ?? '').trim();
      const code = String(p.code ?? '').trim();
      const previous = w.settings.get<Record<string, unknown>>('lan.config', {});
      w.settings.set('lan.config', { host, port, tls: p.tls !== false, workstation: String(p.workstation ?? '').trim() });
      // An empty address means the embedded server, started by the host at the next start.
      w.settings.set('lan.embedded', host === '');
      if (host && code) {
        try {
          const e = await rt.enrollLan(code);
          w.audit(me.user.login, 'lan.enroll', `${host}:${port} estação ${e.workstation} certificado ${e.fingerprint ?? 'sem TLS'}`);
        } catch (err) {
          w.settings.set('lan.config', previous);
          throw err;
        }
      }
      w.audit(me.user.login, 'lan.config.save', `${host}:${port}`);
      rt.connectLan();
      return rt.lanConfig();
    },
  };
}
