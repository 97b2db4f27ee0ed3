import { useState } from 'react';
import { call } from '../../../api';
import { DocumentFacts } from '../../../components/document-facts';
import { FileLinks } from '../../../components/file-links';
import { DanfePreview } from '../../../components/danfe-preview';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { errorText } from '../../../lib/errors';
import { CancelDialog } from './cancel-dialog';
import { CceDialog } from './cce-dialog';
import { CteCceDialog, CteExtras, DesacordoDialog, EntregaForm } from './cte-actions';
import { EmitCteDialog } from './emit-cte-dialog';
import { useFaturamentoView } from '../view-store';

interface Props {
  id: string;
  onClose(): void;
  onChanged(): void;
}

export function DocumentDetailPanel({ id, onClose, onChanged }: Props) {
  const edit = useFaturamentoView((v) => v.edit);
  const doc = useApiQuery(
    async () => {
      const d = await call('documents.get', { id });
      // A CT-e also shows the NF-e it carries and its own events.
      return d.model === 57 ? call('cte.get', { id }) : d;
    },
    id,
    'Não foi possível abrir o documento',
    { events: ['documents.changed'], intervalMs: 10_000 },
  );
  const [dialog, setDialog] = useState<'cancel' | 'cce' | 'cte' | 'entrega' | 'desacordo' | 'preview' | null>(null);
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

  const cancelEntrega = async () => {
    setBusy(true);
    setNotice(null);
    try {
      await call('cte.entregaCancel', { id });
      setNotice({ kind: 'ok', text: 'Comprovante de entrega cancelado.' });
      await doc.reload();
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err, 'Cancelamento do comprovante falhou') });
    }
    setBusy(false);
  };
  const done = (text: string) => {
    setDialog(null);
    setNotice({ kind: 'ok', text });
    void doc.reload();
    onChanged();
  };

  const d = doc.data;
  const cte = d && 'cte' in d ? d : null;
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
            {d.model === 55 && d.status === 'autorizada' && (
              <button type="button" className="primary" onClick={() => setDialog('cte')}>
                Emitir CT-e…
              </button>
            )}
            {d.model === 55 && d.status === 'autorizada' && d.orderId && (
              <button type="button" onClick={() => edit(`return:${d.id}`)}>
                Nota de devolução…
              </button>
            )}
            <button type="button" disabled={!d.canCancel} title={d.canCancel ? undefined : (d.cancelBlockedReason ?? undefined)} onClick={() => setDialog('cancel')}>
              {d.model === 57 ? 'Cancelar CT-e' : 'Cancelar nota'}
            </button>
            {d.model === 55 && (
              <button type="button" disabled={!d.canCce} onClick={() => setDialog('cce')}>
                Carta de correção
              </button>
            )}
            <button type="button" onClick={() => setDialog('preview')}>
              Visualizar {d.model === 57 ? 'DACTE' : 'DANFE'}
            </button>
            <FileLinks key={d.id} documentId={d.id} />
          </div>
          {dialog === 'preview' && <DanfePreview documentId={d.id} title={`Pré-visualização do ${d.model === 57 ? 'DACTE' : 'DANFE'} ${d.number}`} onClose={() => setDialog(null)} />}
          {!d.canCancel && d.cancelBlockedReason && <p className="field-hint" data-testid="cancel-blocked">Cancelamento indisponível: {d.cancelBlockedReason}</p>}
          {cte && <CteExtras doc={cte} busy={busy} onOpen={setDialog} onCancelEntrega={() => void cancelEntrega()} />}
          {cte && dialog === 'entrega' && (
            <section aria-label="Enviar comprovante de entrega">
              <h3>Comprovante de entrega</h3>
              <EntregaForm doc={cte} onDone={(_d, text) => done(text)} />
            </section>
          )}
          <DocumentFacts doc={d} />
          {dialog === 'cte' && <EmitCteDialog nfeIds={[d.id]} onClose={() => setDialog(null)} />}
          {cte && dialog === 'cce' && <CteCceDialog doc={cte} onClose={() => setDialog(null)} onDone={done} />}
          {cte && dialog === 'desacordo' && <DesacordoDialog doc={cte} onClose={() => setDialog(null)} onDone={done} />}
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
          {!cte && dialog === 'cce' && (
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
