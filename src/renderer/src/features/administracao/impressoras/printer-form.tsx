import { useState, type FormEvent } from 'react';
import type { PrinterDto, PrintJobDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { apiErrorOf, errorText } from '../../../lib/errors';
import { JOB_STATE_LABELS } from '../../expedicao/job-states';

// Layouts shipped in resources/forms.
const LAYOUTS = [
  { id: 'danfe-continuo', label: 'DANFE em formulário contínuo' },
  { id: 'calibracao', label: 'Página de calibração' },
];
const OTHER_PORT = '__outra__';
const BAUDS = [2400, 4800, 9600, 19200, 38400, 57600, 115200];
const PATH_REQUIRED: Record<PrinterDto['kind'], string> = {
  serial: 'Escolha a porta.',
  file: 'Informe a pasta.',
  tcp: 'Informe o endereço, ex.: tcp://192.168.0.50:9100.',
  spool: 'Escolha a impressora instalada.',
  device: 'Informe o dispositivo, ex.: usb: ou LPT1.',
};

/** Millimetre offsets typed in pt-BR ("-1,5"); one decimal is a printer's real precision. */
function parseMm(text: string): number | null {
  const m = /^(-?)(\d{1,2})(?:,(\d))?$/.exec(text.trim());
  if (!m) return null;
  const tenths = Number(m[2]) * 10 + Number(m[3] ?? '0');
  return (m[1] ? -tenths : tenths) / 10;
}
const mmText = (n: number) => String(n).replace('.', ',');

export function PrinterForm({ printer, onClose, onSaved }: { printer: PrinterDto; onClose(): void; onSaved(p: PrinterDto, msg: string): void }) {
  const [p, setP] = useState<PrinterDto>(printer);
  const [dx, setDx] = useState(mmText(printer.dx));
  const [dy, setDy] = useState(mmText(printer.dy));
  const [fe, setFe] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [calJob, setCalJob] = useState<PrintJobDto | null>(null);
  const ports = useApiQuery(() => call('printers.ports'), '', 'Não foi possível listar as portas', { enabled: p.kind === 'serial' });
  const installed = useApiQuery(() => call('printers.installed'), '', 'Não foi possível listar as impressoras do sistema', { enabled: p.kind === 'spool' });
  const set = (patch: Partial<PrinterDto>) => setP((x) => ({ ...x, ...patch }));
  // A port the system does not list (a /dev/ttyS* without udev, an odd COM driver) is typed.
  const [typedPort, setTypedPort] = useState(false);

  const save = async (e?: FormEvent): Promise<PrinterDto | null> => {
    e?.preventDefault();
    const errs: Record<string, string> = {};
    if (!p.name.trim()) errs.name = 'Informe um nome.';
    if (!p.path.trim()) errs.path = PATH_REQUIRED[p.kind];
    const x = parseMm(dx);
    const y = parseMm(dy);
    if (x === null) errs.dx = 'Deslocamento em mm, ex.: -1,5 (até 99,9).';
    if (y === null) errs.dy = 'Deslocamento em mm, ex.: 2 (até 99,9).';
    setFe(errs);
    if (Object.keys(errs).length) return null;
    setBusy(true);
    setError(null);
    try {
      const saved = await call('printers.save', { ...p, name: p.name.trim(), dx: x!, dy: y! });
      setP(saved);
      onSaved(saved, `Impressora ${saved.name} salva.`);
      setBusy(false);
      return saved;
    } catch (err) {
      const ae = apiErrorOf(err);
      if (ae.field) setFe((f) => ({ ...f, [ae.field!]: ae.message }));
      setError(errorText(err, 'Impressora não salva'));
      setBusy(false);
      return null;
    }
  };

  const calibrate = async () => {
    const saved = await save();
    if (!saved) return;
    setBusy(true);
    try {
      let job = await call('printers.calibrate', { printerId: saved.id });
      setCalJob(job);
      setBusy(false);
      // Follow the test page until the printer took it (or refused it), as the queue shows it.
      for (let i = 0; i < 120 && (job.state === 'queued' || job.state === 'printing'); i++) {
        await new Promise((r) => setTimeout(r, 1000));
        job = (await call('print.jobs', { limit: 20 })).find((j) => j.id === job.id) ?? job;
        setCalJob(job);
      }
    } catch (err) {
      setError(errorText(err, 'Página de calibração não impressa'));
    }
    setBusy(false);
  };

  const portOptions = ports.data ?? [];
  return (
    <form className="detail-panel" onSubmit={(e) => void save(e)} noValidate aria-labelledby="printer-title">
      <header className="detail-header">
        <h2 id="printer-title">{printer.id ? printer.name : 'Nova impressora'}</h2>
        <button type="button" className="icon-button" aria-label="Fechar impressora" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="form-grid">
        <Field label="Nome" required error={fe.name} className="span-2">
          {(x) => <input {...x} data-autofocus value={p.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <Field label="Tipo" required>
          {(x) => (
            <select {...x} value={p.kind} onChange={(e) => set({ kind: e.target.value as PrinterDto['kind'], path: '' })}>
              <option value="serial">Serial (COM / adaptador USB-serial)</option>
              <option value="spool">Impressora instalada no sistema (USB)</option>
              <option value="tcp">Rede (TCP 9100)</option>
              <option value="device">Dispositivo direto (USB / LPT)</option>
              <option value="file">Pasta (arquivo)</option>
            </select>
          )}
        </Field>
        {p.kind === 'serial' ? (
          <>
            <Field label="Porta" required error={typedPort ? undefined : (fe.path ?? ports.error)} className="span-2">
              {(x) => (
                <select
                  {...x}
                  value={typedPort ? OTHER_PORT : p.path}
                  onChange={(e) => {
                    const other = e.target.value === OTHER_PORT;
                    setTypedPort(other);
                    set({ path: other ? '' : e.target.value, serialNumber: other ? null : (portOptions.find((o) => o.path === e.target.value)?.serialNumber ?? null) });
                  }}
                >
                  <option value="">Escolha…</option>
                  {p.path && !portOptions.some((o) => o.path === p.path) && <option value={p.path}>{p.path} (não encontrada agora)</option>}
                  {portOptions.map((o) => (
                    <option key={o.path} value={o.path}>
                      {o.path}
                      {o.manufacturer ? ` – ${o.manufacturer}` : ''}
                      {o.serialNumber ? ` (nº ${o.serialNumber})` : ''}
                    </option>
                  ))}
                  <option value={OTHER_PORT}>Outra porta (digitar)…</option>
                </select>
              )}
            </Field>
            {typedPort && (
              <Field label="Porta (digitada)" required error={fe.path} className="span-3">
                {(x) => <input {...x} className="mono" value={p.path} placeholder="COM5 ou /dev/ttyS0" onChange={(e) => set({ path: e.target.value })} />}
              </Field>
            )}
            <button type="button" className="small align-end" onClick={() => void ports.reload()}>
              Procurar portas
            </button>
            <Field label="Velocidade (baud)">
              {(x) => (
                <select {...x} value={p.baudRate} onChange={(e) => set({ baudRate: Number(e.target.value) })}>
                  {BAUDS.map((b) => (
                    <option key={b} value={b}>
                      {b}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Paridade">
              {(x) => (
                <select {...x} value={p.parity} onChange={(e) => set({ parity: e.target.value as PrinterDto['parity'] })}>
                  <option value="none">Nenhuma</option>
                  <option value="even">Par</option>
                  <option value="odd">Ímpar</option>
                </select>
              )}
            </Field>
            <Field label="Bits de dados">
              {(x) => (
                <select {...x} value={p.dataBits} onChange={(e) => set({ dataBits: Number(e.target.value) as 7 | 8 })}>
                  <option value={8}>8</option>
                  <option value={7}>7</option>
                </select>
              )}
            </Field>
            <Field label="Controle de fluxo">
              {(x) => (
                <select {...x} value={p.flow} onChange={(e) => set({ flow: e.target.value as PrinterDto['flow'] })}>
                  <option value="xonxoff">XON/XOFF</option>
                  <option value="rtscts">RTS/CTS (hardware)</option>
                  <option value="none">Nenhum</option>
                </select>
              )}
            </Field>
          </>
        ) : p.kind === 'spool' ? (
          <>
            <Field label="Impressora do sistema" required error={fe.path ?? installed.error ?? installed.data?.error ?? undefined} className="span-2">
              {(x) => (
                <select {...x} value={p.path} onChange={(e) => set({ path: e.target.value })}>
                  <option value="">Escolha…</option>
                  {p.path && !installed.data?.printers.some((o) => `spool:${o.name}` === p.path) && <option value={p.path}>{p.path.slice(6)} (não encontrada agora)</option>}
                  {installed.data?.printers.map((o) => (
                    <option key={o.name} value={`spool:${o.name}`}>
                      {o.name}
                      {o.detail ? ` – ${o.detail}` : ''}
                      {o.isDefault ? ' (padrão)' : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="button" className="small align-end" onClick={() => void installed.reload()}>
              Procurar impressoras
            </button>
            <p className="muted small-text span-3">O formulário vai para a fila do sistema em modo RAW (sem driver gráfico): use o driver “Genérico / Somente texto” ou o da matricial.</p>
          </>
        ) : (
          <Field label={p.kind === 'file' ? 'Pasta de saída' : p.kind === 'tcp' ? 'Endereço (tcp://IP:9100)' : 'Dispositivo (usb:, /dev/usb/lp0, LPT1)'} required error={fe.path} className="span-3">
            {(x) => (
              <input
                {...x}
                className="mono"
                value={p.path}
                placeholder={p.kind === 'tcp' ? 'tcp://192.168.0.50:9100' : p.kind === 'device' ? 'usb:' : ''}
                onChange={(e) => set({ path: e.target.value })}
              />
            )}
          </Field>
        )}
        <Field label="Layout do formulário" className="span-2">
          {(x) => (
            <select {...x} value={p.layout} onChange={(e) => set({ layout: e.target.value })}>
              {!LAYOUTS.some((l) => l.id === p.layout) && <option value={p.layout}>{p.layout}</option>}
              {LAYOUTS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox align-end span-2">
          <input type="checkbox" checked={p.isDefault} onChange={(e) => set({ isDefault: e.target.checked })} />
          Impressora padrão
        </label>
      </div>
      <fieldset className="calibration">
        <legend>Calibração</legend>
        <p className="muted small-text">
          Imprima a página de calibração no formulário, meça quanto a cruz saiu do alvo e informe o deslocamento: positivo move a impressão para a direita (dx) e
          para baixo (dy).
        </p>
        <div className="form-grid">
          <Field label="Deslocamento dx (mm)" error={fe.dx}>
            {(x) => <input {...x} className="num" inputMode="decimal" value={dx} onChange={(e) => setDx(e.target.value)} />}
          </Field>
          <Field label="Deslocamento dy (mm)" error={fe.dy}>
            {(x) => <input {...x} className="num" inputMode="decimal" value={dy} onChange={(e) => setDy(e.target.value)} />}
          </Field>
          <button type="button" className="align-end" disabled={busy} onClick={() => void calibrate()}>
            Imprimir calibração
          </button>
        </div>
        {calJob && (
          <Notice kind={calJob.state === 'failed' ? 'error' : 'ok'}>
            Página de calibração: {JOB_STATE_LABELS[calJob.state]}
            {calJob.reason ? ` — ${calJob.reason}` : ''}
          </Notice>
        )}
      </fieldset>
      {error && <Notice kind="error">{error}</Notice>}
      <div className="form-actions">
        <button type="button" onClick={onClose}>
          Fechar
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Salvando…' : 'Salvar impressora'}
        </button>
      </div>
    </form>
  );
}
