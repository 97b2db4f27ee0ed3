import { useState } from 'react';
import { call } from '../../../api';
import { DocumentFacts } from '../../../components/document-facts';
import { FileLinks } from '../../../components/file-links';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { errorText } from '../../../lib/errors';
import { CancelDialog } from './cancel-dialog';
import { CceDialog } from './cce-dialog';

interface Props {
  id: string;
  onClose(): void;
  onChanged(): void;
}

export function DocumentDetailPanel({ id, onClose, onChanged }: Props) {
  const doc = useApiQuery(() => call('documents.get', { id }), id, 'Não foi possível abrir o documento', { events: ['documents.changed'], intervalMs: 10_000 });
  const [dialog, setDialog] = useState<'cancel' | 'cce' | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const resend = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const d = await call('documents.resend', { id });
      setNotice({ kind: 'ok', text: `Documento reenviado: ${d.statusLabel}.` });
      await doc.reload();
      onChanged();
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err, 'Reenvio falhou') });
    }
    setBusy(false);
  };

  const d = doc.data;
  return (
    <section className="detail-panel" aria-labelledby="doc-detail-title">
      <header className="detail-header">
        <h2 id="doc-detail-title">{d ? `${d.model === 57 ? 'CT-e' : 'NF-e'} ${d.number}` : 'Documento'}</h2>
        <button type="button" className="icon-button" aria-label="Fechar detalhes" onClick={onClose}>
          ×
        </button>
      </header>
      {doc.error && <Notice kind="error">{doc.error}</Notice>}
      {notice && (
        <Notice kind={notice.kind} onDismiss={() => setNotice(null)}>
          {notice.text}
        </Notice>
      )}
      {!d && !doc.error && <p className="muted">Carregando…</p>}
      {d && (
        <>
          <div className="detail-actions">
            {d.canResend && (
              <button type="button" className="primary" disabled={busy} onClick={() => void resend()}>
                {busy ? 'Reenviando…' : 'Reenviar'}
              </button>
            )}
            <button type="button" disabled={!d.canCancel} title={d.canCancel ? undefined : (d.cancelBlockedReason ?? undefined)} onClick={() => setDialog('cancel')}>
              Cancelar nota
            </button>
            <button type="button" disabled={!d.canCce} onClick={() => setDialog('cce')}>
              Carta de correção
            </button>
            <FileLinks key={d.id} documentId={d.id} />
          </div>
          {!d.canCancel && d.cancelBlockedReason && <p className="field-hint" data-testid="cancel-blocked">Cancelamento indisponível: {d.cancelBlockedReason}</p>}
          <DocumentFacts doc={d} />
          {dialog === 'cancel' && (
            <CancelDialog
              doc={d}
              onClose={() => setDialog(null)}
              onDone={(text) => {
                setDialog(null);
                setNotice({ kind: 'ok', text });
                void doc.reload();
                onChanged();
              }}
            />
          )}
          {dialog === 'cce' && (
            <CceDialog
              doc={d}
              onClose={() => setDialog(null)}
              onDone={(text) => {
                setDialog(null);
                setNotice({ kind: 'ok', text });
                void doc.reload();
              }}
            />
          )}
        </>
      )}
    </section>
  );
}
