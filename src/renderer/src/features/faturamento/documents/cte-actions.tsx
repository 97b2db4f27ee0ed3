import { useState } from 'react';
import type { CteDetailDto, DocumentDetail } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';
import { formatChave, formatDocumento } from '../../../lib/fiscal-options';

type CteDoc = DocumentDetail & { cte: CteDetailDto };

/** Groups of the CT-e a CC-e usually corrects (the schema's tag names, as SEFAZ expects them). */
const CCE_GROUPS: [string, string][] = [
  ['compl', 'Dados complementares (compl)'],
  ['ide', 'Identificação (ide)'],
  ['infCarga', 'Carga (infCarga)'],
  ['rodo', 'Modal rodoviário (rodo)'],
  ['infNFe', 'Documentos (infNFe)'],
];

/** CC-e of CT-e: structured (grupo, campo, novo valor); the corrections accumulate. */
export function CteCceDialog({ doc, onClose, onDone }: { doc: CteDoc; onClose(): void; onDone(message: string): void }) {
  const [grupo, setGrupo] = useState('compl');
  const [campo, setCampo] = useState('');
  const [valor, setValor] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!campo.trim() || !valor.trim()) {
      setError('Informe o campo (nome da tag, ex.: xObs) e o novo valor.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('cte.cce', { id: doc.id, correcoes: [{ grupo, campo: campo.trim(), valor: valor.trim() }] });
      onDone(`Carta de correção do CT-e ${doc.number} registrada.`);
    } catch (err) {
      setError(errorText(err, 'Carta de correção não registrada'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={`Carta de correção – CT-e ${doc.number}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Enviando…' : 'Enviar correção'} busy={busy}>
      <p className="muted">Não corrige valores, impostos, partes nem datas (Convênio SINIEF 06/89, art. 58-B). Cada nova carta repete as correções anteriores.</p>
      <div className="form-grid">
        <Field label="Grupo" required>
          {(p) => (
            <select {...p} value={grupo} onChange={(e) => setGrupo(e.target.value)}>
              {CCE_GROUPS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Campo" required hint="Nome da tag, ex.: xObs">
          {(p) => <input {...p} data-autofocus value={campo} maxLength={20} onChange={(e) => setCampo(e.target.value)} />}
        </Field>
        <Field label="Novo valor" required error={error}>
          {(p) => <input {...p} value={valor} maxLength={500} onChange={(e) => setValor(e.target.value)} />}
        </Field>
      </div>
    </FormDialog>
  );
}

/** 610110 by the tomador: why the service is disputed (15–255 characters). */
export function DesacordoDialog({ doc, onClose, onDone }: { doc: CteDoc; onClose(): void; onDone(message: string): void }) {
  const [obs, setObs] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (obs.trim().length < 15) {
      setError('A observação precisa de pelo menos 15 caracteres.');
      return;
    }
    setBusy(true);
    try {
      await call('cte.desacordo', { id: doc.id, observacao: obs.trim() });
      onDone(`Prestação em desacordo registrada para o CT-e ${doc.number}.`);
    } catch (err) {
      setError(errorText(err, 'Desacordo não registrado'));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Prestação em desacordo – CT-e ${doc.number}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Enviando…' : 'Informar desacordo'} busy={busy} danger dismissLabel="Voltar">
      <p>Informa à SEFAZ, como tomador, que o serviço não foi prestado como contratado (até 45 dias da autorização).</p>
      <Field label="Observação" required error={error} hint={`${obs.trim().length} de 15–255 caracteres`}>
        {(p) => <textarea {...p} rows={3} maxLength={255} data-autofocus value={obs} onChange={(e) => setObs(e.target.value)} />}
      </Field>
    </FormDialog>
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
/** "2026-12-07T15:30" of the local clock, as a datetime-local input shows it. */
function localNow(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
/** The typed local time with this machine's offset: "2026-12-07T15:30:00-03:00". */
function withOffset(local: string): string {
  const off = -new Date(local).getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return `${local}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('Não foi possível ler o arquivo.'));
    r.readAsDataURL(file);
  });
}

/**
 * Comprovante de entrega (110180): who received, when, optionally where, and the photo or
 * scan of the signed canhoto, whose hash goes in the event. Used in Expedição and in the
 * document detail.
 */
export function EntregaForm({ doc, onDone }: { doc: CteDoc; onDone(d: DocumentDetail, message: string): void }) {
  const [when, setWhen] = useState(localNow);
  const [nome, setNome] = useState('');
  const [documento, setDocumento] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (nome.trim().length < 2) errs.nome = 'Informe o nome de quem recebeu.';
    if (documento.trim().length < 2) errs.documento = 'Informe o documento (CPF, RG…) de quem recebeu.';
    if (!when) errs.when = 'Informe a data e a hora da entrega.';
    if ((lat.trim() === '') !== (lon.trim() === '')) errs.lat = 'Informe latitude e longitude juntas, ou nenhuma.';
    if (!file) errs.file = 'Anexe a foto ou digitalização do canhoto assinado.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(null);
    try {
      const imagemBase64 = await readBase64(file!);
      const d = await call('cte.entrega', {
        id: doc.id,
        dataHora: withOffset(when),
        documento: documento.trim(),
        nome: nome.trim(),
        ...(lat.trim() ? { latitude: lat.trim().replace(',', '.'), longitude: lon.trim().replace(',', '.') } : {}),
        imagemBase64,
      });
      onDone(d, `Comprovante de entrega do CT-e ${doc.number} autorizado.`);
    } catch (err) {
      setError(errorText(err, 'Comprovante não enviado'));
    }
    setBusy(false);
  };

  return (
    <form className="form-grid card" onSubmit={(e) => void submit(e)} noValidate aria-label="Comprovante de entrega">
      <Field label="Recebido por" required error={errors.nome} className="span-2">
        {(p) => <input {...p} data-autofocus value={nome} maxLength={60} onChange={(e) => setNome(e.target.value)} />}
      </Field>
      <Field label="Documento de quem recebeu" required error={errors.documento} hint="CPF, RG ou outro">
        {(p) => <input {...p} value={documento} maxLength={20} onChange={(e) => setDocumento(e.target.value)} />}
      </Field>
      <Field label="Data e hora da entrega" required error={errors.when}>
        {(p) => <input {...p} type="datetime-local" value={when} onChange={(e) => setWhen(e.target.value)} />}
      </Field>
      <Field label="Latitude" error={errors.lat} hint="Opcional, ex.: -22,905560">
        {(p) => <input {...p} value={lat} inputMode="decimal" onChange={(e) => setLat(e.target.value)} />}
      </Field>
      <Field label="Longitude" hint="Opcional, ex.: -47,060830">
        {(p) => <input {...p} value={lon} inputMode="decimal" onChange={(e) => setLon(e.target.value)} />}
      </Field>
      <Field label="Imagem do canhoto" required error={errors.file} hint="Foto ou digitalização (PNG ou JPEG)" className="span-2">
        {(p) => <input {...p} type="file" accept="image/png,image/jpeg" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
      </Field>
      <div className="search-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Enviando…' : 'Enviar comprovante'}
        </button>
      </div>
      {error && (
        <div className="span-3">
          <Notice kind="error">{error}</Notice>
        </div>
      )}
    </form>
  );
}

/** What a CT-e adds to the document detail: the NF-e it carries and its events' buttons. */
export function CteExtras({ doc, busy, onOpen, onCancelEntrega }: { doc: CteDoc; busy: boolean; onOpen(d: 'cce' | 'entrega' | 'desacordo'): void; onCancelEntrega(): void }) {
  return (
    <>
      <div className="detail-actions">
        <button type="button" disabled={!doc.canCce} onClick={() => onOpen('cce')}>
          Carta de correção
        </button>
        {doc.cte.entregaProt ? (
          <button type="button" disabled={busy} onClick={onCancelEntrega}>
            Cancelar comprovante de entrega
          </button>
        ) : (
          <button type="button" disabled={!doc.cte.canEntrega} onClick={() => onOpen('entrega')}>
            Comprovante de entrega
          </button>
        )}
        <button type="button" disabled={!doc.cte.canDesacordo} title={doc.cte.desacordoBlockedReason ?? undefined} onClick={() => onOpen('desacordo')}>
          Prestação em desacordo
        </button>
      </div>
      <dl className="facts">
        <dt>Emitente (transportadora)</dt>
        <dd data-testid="cte-emitente">
          {doc.cte.emitente} <span className="muted">({formatDocumento(doc.cte.emitenteDocumento)})</span>
        </dd>
        <dt>Tomador</dt>
        <dd>
          {doc.cte.tomador} <span className="muted">({formatDocumento(doc.cte.tomadorDocumento)})</span>
        </dd>
        <dt>NF-e transportadas</dt>
        <dd data-testid="cte-nfe-chaves">
          {doc.cte.nfeChaves.map((k) => (
            <div key={k}>
              <code>{formatChave(k)}</code>
            </div>
          ))}
        </dd>
        {doc.cte.entregaProt && (
          <>
            <dt>Comprovante de entrega</dt>
            <dd data-testid="cte-entrega-prot">protocolo {doc.cte.entregaProt}</dd>
          </>
        )}
      </dl>
    </>
  );
}
