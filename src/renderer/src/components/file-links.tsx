import { useState } from 'react';
import { call } from '../api';
import { useBlobUrl } from '../hooks/use-blob-url';
import { errorText } from '../lib/errors';
import { base64ToBlobUrl, textToBlobUrl } from '../lib/files';
import { Notice } from './notice';

/** "Gerar PDF" / "Baixar XML": fetched on demand and offered as Blob download links. */
export function FileLinks({ documentId, pdf = true, xml = true }: { documentId: string; pdf?: boolean; xml?: boolean }) {
  const [pdfUrl, setPdfUrl] = useBlobUrl();
  const [xmlUrl, setXmlUrl] = useBlobUrl();
  const [names, setNames] = useState<{ pdf?: string; xml?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const getPdf = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('documents.pdf', { id: documentId });
      setPdfUrl(base64ToBlobUrl(r.base64, 'application/pdf'));
      setNames((n) => ({ ...n, pdf: r.fileName }));
    } catch (err) {
      setError(errorText(err, 'PDF indisponível'));
    }
    setBusy(false);
  };
  const getXml = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('documents.xml', { id: documentId });
      setXmlUrl(textToBlobUrl(r.xml, 'application/xml'));
      setNames((n) => ({ ...n, xml: r.fileName }));
    } catch (err) {
      setError(errorText(err, 'XML indisponível'));
    }
    setBusy(false);
  };

  return (
    <div className="file-links">
      {pdf &&
        (pdfUrl ? (
          <a className="button-link" href={pdfUrl} download={names.pdf} data-testid="pdf-link">
            Baixar PDF ({names.pdf})
          </a>
        ) : (
          <button type="button" onClick={() => void getPdf()} disabled={busy}>
            Gerar PDF
          </button>
        ))}
      {xml &&
        (xmlUrl ? (
          <a className="button-link" href={xmlUrl} download={names.xml} data-testid="xml-link">
            Baixar XML ({names.xml})
          </a>
        ) : (
          <button type="button" onClick={() => void getXml()} disabled={busy}>
            XML
          </button>
        ))}
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
