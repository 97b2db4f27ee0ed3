import { useRef, useState, type FormEvent } from 'react';
import type { ImportResult } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { errorText } from '../../../lib/errors';
import { readFileText } from '../../../lib/files';

// Larger files are not NF-e XMLs; refusing them here keeps the request small.
const MAX_BYTES = 5 * 1024 * 1024;

/** Imports own-emission NF-e XMLs; the LAN server checks each number against its série. */
export function ImportXml() {
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [results, setResults] = useState<ImportResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (files.length === 0) {
      setError('Escolha um ou mais arquivos XML.');
      return;
    }
    setBusy(true);
    setError(null);
    setResults(null);
    const tooBig = files.filter((f) => f.size > MAX_BYTES);
    const readable = files.filter((f) => f.size <= MAX_BYTES);
    try {
      const payload = await Promise.all(readable.map(async (f) => ({ name: f.name, xml: await readFileText(f) })));
      const r = payload.length ? await call('documents.import', { files: payload }) : [];
      setResults([...r, ...tooBig.map((f) => ({ file: f.name, ok: false, message: 'Arquivo grande demais para ser um XML de NF-e (limite 5 MB).' }))]);
      setFiles([]);
      if (input.current) input.current.value = '';
    } catch (err) {
      setError(errorText(err, 'Importação não realizada'));
    }
    setBusy(false);
  };

  const imported = results?.filter((r) => r.ok).length ?? 0;
  return (
    <div>
      <form className="card" onSubmit={submit}>
        <h2>Importar XML de notas de emissão própria</h2>
        <p className="muted">
          Cada nota é conferida com a série no servidor LAN: número já usado é recusado; número à frente do próximo deixa uma lacuna que o administrador
          deve acompanhar. Prefira uma série só para importação.
        </p>
        <div className="toolbar">
          <label htmlFor="import-files">Arquivos XML</label>
          <input
            id="import-files"
            ref={input}
            type="file"
            accept=".xml,application/xml,text/xml"
            multiple
            onChange={(e) => {
              setFiles(Array.from(e.target.files ?? []));
              setResults(null);
            }}
          />
          <button type="submit" className="primary" disabled={busy || files.length === 0}>
            {busy ? 'Importando…' : `Importar${files.length ? ` ${files.length} arquivo${files.length > 1 ? 's' : ''}` : ''}`}
          </button>
        </div>
        {error && <Notice kind="error">{error}</Notice>}
      </form>
      {results && (
        <section className="card" aria-labelledby="import-results-title">
          <h2 id="import-results-title">
            Resultado: {imported} de {results.length} importado{results.length > 1 ? 's' : ''}
          </h2>
          <table className="grid" aria-label="Resultado da importação">
            <thead>
              <tr>
                <th scope="col">Arquivo</th>
                <th scope="col">Situação</th>
                <th scope="col" className="num">
                  Número
                </th>
                <th scope="col">Mensagem</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) => (
                <tr key={`${r.file}-${i}`} data-testid="import-result">
                  <td>{r.file}</td>
                  <td>
                    <span className={`badge badge-${r.ok ? 'green' : 'red'}`}>
                      <span className="badge-dot" aria-hidden="true" />
                      {r.ok ? 'Importada' : 'Recusada'}
                    </span>
                  </td>
                  <td className="num">{r.number ?? '—'}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
