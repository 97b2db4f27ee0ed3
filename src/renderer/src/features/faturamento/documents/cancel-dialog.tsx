import { useState } from 'react';
import type { DocumentDetail } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';

// xJust of the cancellation event: 15 to 255 characters (NF-e event layout).
const MIN = 15;
const MAX = 255;

export function CancelDialog({ doc, onClose, onDone }: { doc: DocumentDetail; onClose(): void; onDone(message: string): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const len = text.trim().length;
  const tooShort = len < MIN;

  const submit = async () => {
    if (tooShort) {
      setError(`A justificativa precisa de pelo menos ${MIN} caracteres.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const d = await call('documents.cancel', { id: doc.id, justificativa: text.trim() });
      onDone(`Cancelamento ${doc.model === 57 ? 'do CT-e' : 'da NF-e'} ${doc.number}: ${d.statusLabel}.`);
    } catch (err) {
      setError(errorText(err, 'Cancelamento não realizado'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={`Cancelar ${doc.model === 57 ? 'CT-e' : 'NF-e'} ${doc.number}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Cancelando…' : doc.model === 57 ? 'Cancelar o CT-e' : 'Cancelar a nota'} busy={busy} danger dismissLabel="Voltar">
      <p>O cancelamento é enviado à SEFAZ e não pode ser desfeito. Só é aceito dentro do prazo e se a mercadoria ainda não circulou.</p>
      <Field label="Justificativa" required error={error} hint={`${len} de ${MIN}–${MAX} caracteres`}>
        {(p) => <textarea {...p} rows={4} maxLength={MAX} data-autofocus value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      {busy && <Notice kind="info">Enviando o evento de cancelamento à SEFAZ…</Notice>}
    </FormDialog>
  );
}
