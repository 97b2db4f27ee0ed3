import { useState } from 'react';
import type { PrintJobDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { DocumentFacts } from '../../components/document-facts';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { useBlobUrl } from '../../hooks/use-blob-url';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';
import { base64ToBlobUrl } from '../../lib/files';
import { auditActionLabel, JOB_STATE_LABELS } from './job-states';
import { DanfePreview } from '../../components/danfe-preview';

export function ReprintPanel({ id, onClose, onDone }: { id: string; onClose(): void; /** After each reprint: hand the keyboard back to the scanner field. */ onDone?(): void }) {
  const doc = useApiQuery(() => call('documents.get', { id }), id, 'Não foi possível abrir o documento');
  const audit = useApiQuery(() => call('print.audit', { documentId: id }), id, 'Auditoria indisponível', { events: ['print.changed'] });
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<PrintJobDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pdfUrl, setPdfUrl] = useBlobUrl();
  const [pdfName, setPdfName] = useState('');
  const [previewing, setPreviewing] = useState(false);

  const reprint = async (target: 'form' | 'pdf') => {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      setJob(await call('print.reprint', { documentId: id, target }));
      if (target === 'pdf') {
        const pdf = await call('documents.pdf', { id });
        setPdfUrl(base64ToBlobUrl(pdf.base64, 'application/pdf'));
        setPdfName(pdf.fileName);
      }
      void audit.reload();
    } catch (err) {
      setError(errorText(err, 'Reimpressão não realizada'));
    }
    setBusy(false);
    onDone?.();
  };

  const d = doc.data;
  return (
    <section className="detail-panel" aria-labelledby="reprint-title">
      <header className="detail-header">
        <h2 id="reprint-title">{d ? `${d.model === 57 ? 'DACTE' : 'DANFE'} ${d.number}` : 'Documento'}</h2>
        <button type="button" className="icon-button" aria-label="Fechar detalhes" onClick={onClose}>
          ×
        </button>
      </header>
      {doc.error && <Notice kind="error">{doc.error}</Notice>}
      <div className="detail-actions">
        <button type="button" className="primary" disabled={busy || !d} onClick={() => void reprint('form')}>
          Reimprimir no formulário
        </button>
        <button type="button" disabled={busy || !d} onClick={() => void reprint('pdf')}>
          Reimprimir em PDF
        </button>
        <button type="button" disabled={busy || !d} onClick={() => setPreviewing(true)}>
          Visualizar antes de imprimir
        </button>
        {pdfUrl && (
          <a className="button-link" href={pdfUrl} download={pdfName} data-testid="reprint-pdf-link">
            Baixar {pdfName}
          </a>
        )}
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {job && (
        <Notice kind={job.state === 'failed' ? 'error' : 'ok'}>
          <span data-testid="reprint-job">
            Reimpressão enviada para {job.printer}: {JOB_STATE_LABELS[job.state]}
            {job.reason ? ` — ${job.reason}` : ''}
          </span>
        </Notice>
      )}
      {d && <DocumentFacts doc={d} />}
      {previewing && d && (
        <DanfePreview
          documentId={id}
          title={`Pré-visualização do ${d.model === 57 ? 'DACTE' : 'DANFE'} ${d.number}`}
          onClose={() => {
            setPreviewing(false);
            onDone?.();
          }}
          onPrint={() => {
            setPreviewing(false);
            void reprint('form');
          }}
        />
      )}
      <h3>Reimpressões deste documento</h3>
      {audit.error && <p className="field-hint">{audit.error}</p>}
      {audit.data && audit.data.length === 0 && <p className="muted">Nenhuma reimpressão registrada.</p>}
      {audit.data && audit.data.length > 0 && (
        <ul className="audit-list">
          {audit.data.map((a, i) => (
            <li key={i}>
              {formatDateTime(a.at)} — <strong>{a.user}</strong>: {auditActionLabel(a.action)} — {a.detail}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
