import { useState } from 'react';
import type { SeriesAdminDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';

export function SetNextDialog({ series, onClose, onSaved }: { series: SeriesAdminDto; onClose(): void; onSaved(message: string): void }) {
  const [next, setNext] = useState(String(series.nextNumber));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<{ next?: string; reason?: string }>({});
  const [busy, setBusy] = useState(false);
  const n = /^\d{1,9}$/.test(next) ? Number(next) : null;
  const forward = n !== null && n > series.nextNumber;

  const submit = async () => {
    const fe: typeof fieldErrors = {};
    if (n === null || n < 1) fe.next = 'Informe um número de 1 a 999.999.999.';
    if (reason.trim().length < 5) fe.reason = 'Explique o motivo (será gravado na auditoria).';
    setFieldErrors(fe);
    if (Object.keys(fe).length) return;
    setBusy(true);
    setError(null);
    try {
      const s = await call('series.setNext', { id: series.id, nextNumber: n!, reason: reason.trim() });
      onSaved(`Série ${s.serie}: próximo número agora é ${s.nextNumber}.`);
    } catch (err) {
      setError(errorText(err, 'Alteração recusada'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={`Próximo número – ${series.model === 57 ? "CT-e" : "NF-e"} série ${series.serie}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Salvando…' : 'Alterar'} busy={busy}>
      <p>
        Próximo número atual: <strong>{series.nextNumber}</strong>
      </p>
      <div className="form-grid">
        <Field label="Novo próximo número" required error={fieldErrors.next}>
          {(p) => <input {...p} className="num" inputMode="numeric" data-autofocus value={next} onChange={(e) => setNext(e.target.value.replace(/\D/g, '').slice(0, 9))} />}
        </Field>
        <Field label="Motivo" required error={fieldErrors.reason} className="span-2">
          {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
      </div>
      {forward && n! - series.nextNumber > 0 && (
        <Notice kind="warn">
          Os números {series.nextNumber}
          {n! - 1 > series.nextNumber ? ` a ${n! - 1}` : ''} ficarão sem uso e deverão ser inutilizados até o dia 10 do mês seguinte.
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}
