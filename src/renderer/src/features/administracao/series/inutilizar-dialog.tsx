import { useState } from 'react';
import type { SeriesAdminDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';

// xJust of the inutilização request: 15 to 255 characters.
const MIN = 15;

export function InutilizarDialog({ series, onClose, onDone }: { series: SeriesAdminDto; onClose(): void; onDone(message: string): void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [just, setJust] = useState('');
  const [fe, setFe] = useState<{ from?: string; to?: string; just?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const a = Number(from);
    const b = Number(to || from);
    const e: typeof fe = {};
    if (!/^\d{1,9}$/.test(from) || a < 1) e.from = 'Informe o número inicial.';
    if (to && !/^\d{1,9}$/.test(to)) e.to = 'Número final inválido.';
    else if (b < a) e.to = 'O número final deve ser maior ou igual ao inicial.';
    if (just.trim().length < MIN) e.just = `A justificativa precisa de pelo menos ${MIN} caracteres.`;
    setFe(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('series.inutilizar', { id: series.id, from: a, to: b, justificativa: just.trim() });
      onDone(`Inutilização ${a}${b > a ? `–${b}` : ''} da série ${series.serie}: ${r.cStat} ${r.xMotivo}${r.nProt ? ` (protocolo ${r.nProt})` : ''}.`);
    } catch (err) {
      setError(errorText(err, 'Inutilização não realizada'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={`Inutilizar números – ${series.model === 57 ? "CT-e" : "NF-e"} série ${series.serie}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Enviando…' : 'Inutilizar'} busy={busy} danger>
      <p>Números pulados que nunca foram autorizados devem ser inutilizados na SEFAZ até o dia 10 do mês seguinte. A operação não pode ser desfeita.</p>
      <div className="form-grid">
        <Field label="Do número" required error={fe.from}>
          {(p) => <input {...p} className="num" inputMode="numeric" data-autofocus value={from} onChange={(e) => setFrom(e.target.value.replace(/\D/g, ''))} />}
        </Field>
        <Field label="Até o número" error={fe.to} hint="Vazio: só o número inicial">
          {(p) => <input {...p} className="num" inputMode="numeric" value={to} onChange={(e) => setTo(e.target.value.replace(/\D/g, ''))} />}
        </Field>
        <Field label="Justificativa" required error={fe.just} className="span-3" hint={`${just.trim().length} de ${MIN}–255 caracteres`}>
          {(p) => <input {...p} maxLength={255} value={just} onChange={(e) => setJust(e.target.value)} />}
        </Field>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}
