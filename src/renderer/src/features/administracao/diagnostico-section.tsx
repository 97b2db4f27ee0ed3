import { useEffect, useState } from 'react';
import { call } from '../../api';
import { Notice } from '../../components/notice';
import { errorText } from '../../lib/errors';
import { base64ToBlobUrl } from '../../lib/files';

/** "Exportar diagnóstico": the zip a support person asks for, saved where the user chooses. */
export function DiagnosticoSection() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [file, setFile] = useState<{ name: string; url: string } | null>(null);
  useEffect(() => () => (file ? URL.revokeObjectURL(file.url) : undefined), [file]);

  const exportar = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('diagnostics.export');
      const url = base64ToBlobUrl(r.zipBase64, 'application/zip');
      setFile({ name: r.fileName, url });
      const a = document.createElement('a');
      a.href = url;
      a.download = r.fileName;
      a.click();
    } catch (err) {
      setError(errorText(err, 'Diagnóstico não gerado'));
    }
    setBusy(false);
  };

  return (
    <section className="card" aria-labelledby="diagnostico-title">
      <h2 id="diagnostico-title">Diagnóstico</h2>
      <p className="muted">
        Um arquivo .zip para o suporte: registros (logs), versões, configurações sem senhas, certificados nem tokens, e o estado das filas da SEFAZ, de impressão
        e de sincronização.
      </p>
      {error && <Notice kind="error">{error}</Notice>}
      {file && (
        <Notice kind="ok">
          Diagnóstico gerado: <a href={file.url} download={file.name}>{file.name}</a>
        </Notice>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void exportar()} disabled={busy}>
          {busy ? 'Gerando…' : 'Exportar diagnóstico'}
        </button>
      </div>
    </section>
  );
}
