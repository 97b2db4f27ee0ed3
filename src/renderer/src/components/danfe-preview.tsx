import { useEffect, useState } from 'react';
import { call } from '../api';
import { useBlobUrl } from '../hooks/use-blob-url';
import { errorText } from '../lib/errors';
import { base64ToBlobUrl } from '../lib/files';
import { Dialog } from './dialog';
import { Notice } from './notice';

/**
 * The DANFE (or DACTE) on screen before it goes to a printer (#22 item 17): the same document
 * the PDF gives, page by page in the browser's viewer. `onPrint` sends it to the form printer.
 */
export function DanfePreview({ documentId, title, onClose, onPrint }: { documentId: string; title: string; onClose(): void; onPrint?(): void }) {
  const [url, setUrl] = useBlobUrl();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('documents.pdf', { id: documentId }).then(
      (r) => {
        if (!live) return;
        setUrl(base64ToBlobUrl(r.base64, 'application/pdf'));
        setName(r.fileName);
      },
      (err: unknown) => live && setError(errorText(err, 'Pré-visualização indisponível')),
    );
    return () => {
      live = false;
    };
  }, [documentId, setUrl]);
  return (
    <Dialog
      title={title}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" onClick={onClose}>
            Voltar
          </button>
          {url && (
            <a className="button-link" href={url} download={name}>
              Baixar PDF
            </a>
          )}
          {onPrint && (
            <button type="button" className="primary" data-autofocus disabled={!url} onClick={onPrint}>
              Imprimir no formulário
            </button>
          )}
        </>
      }
    >
      {error && <Notice kind="error">{error}</Notice>}
      {!url && !error && <p className="muted">Gerando a pré-visualização…</p>}
      {url && <iframe className="danfe-preview" title={`Pré-visualização: ${name}`} src={url} data-testid="danfe-preview" />}
    </Dialog>
  );
}
