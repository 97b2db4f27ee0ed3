import { useRef, useState, type FormEvent } from 'react';
import type { CteDetailDto, DocumentDetail } from '../../../../shared/api/index';
import { call } from '../../api';
import { DocumentFacts } from '../../components/document-facts';
import { Field } from '../../components/field';
import { Notice } from '../../components/notice';
import { errorText } from '../../lib/errors';
import { EntregaForm } from '../faturamento/documents/cte-actions';

type CteDoc = DocumentDetail & { cte: CteDetailDto };

/**
 * The driver is back with the signed canhoto: scan the DACTE's barcode (44 digits), attach
 * the photo or scan, say who received and when, and send the comprovante de entrega (110180).
 */
export function EntregaPanel() {
  const chaveRef = useRef<HTMLInputElement>(null);
  const [chave, setChave] = useState('');
  const [chaveError, setChaveError] = useState<string | null>(null);
  const [doc, setDoc] = useState<CteDoc | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const find = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const digits = chave.replace(/\D/g, '');
    if (digits.length !== 44) {
      setDoc(null);
      setChaveError(`A chave de acesso tem 44 dígitos (lidos: ${digits.length}). Leia o código de barras do DACTE de novo.`);
      chaveRef.current?.select();
      return;
    }
    if (digits.slice(20, 22) !== '57') {
      setDoc(null);
      setChaveError('Esta chave não é de um CT-e (modelo 57): leia o código de barras do DACTE.');
      chaveRef.current?.select();
      return;
    }
    try {
      const found = await call('documents.list', { chave: digits, model: 57 });
      if (!found[0]) {
        setDoc(null);
        setChaveError('CT-e não encontrado nesta estação.');
        return;
      }
      setChaveError(null);
      setDoc(await call('cte.get', { id: found[0].id }));
    } catch (err) {
      setDoc(null);
      setChaveError(errorText(err, 'Busca não realizada'));
    }
  };

  return (
    <div>
      <form className="card search-card" onSubmit={(e) => void find(e)} noValidate aria-label="Localizar CT-e">
        <Field label="Chave do CT-e" error={chaveError} hint="Leia o código de barras do DACTE que o motorista trouxe" className="span-3">
          {(p) => (
            <input {...p} ref={chaveRef} autoFocus inputMode="numeric" autoComplete="off" className="mono" maxLength={60} value={chave} onChange={(e) => setChave(e.target.value.replace(/[^\d ]/g, ''))} />
          )}
        </Field>
        <div className="search-actions">
          <button type="submit" className="primary">
            Localizar
          </button>
        </div>
      </form>
      {notice && (
        <Notice kind="ok">
          <span data-testid="entrega-ok">{notice}</span>
        </Notice>
      )}
      {doc && (
        <section className="detail-panel" aria-labelledby="entrega-title">
          <header className="detail-header">
            <h2 id="entrega-title">
              CT-e {doc.number} · destinatário {doc.cliente}
            </h2>
          </header>
          {doc.cte.entregaProt ? (
            <Notice kind="info">
              <span data-testid="entrega-prot">Comprovante de entrega já autorizado (protocolo {doc.cte.entregaProt}).</span>
            </Notice>
          ) : doc.cte.canEntrega ? (
            <EntregaForm
              doc={doc}
              onDone={(_d, text) => {
                setNotice(text);
                void call('cte.get', { id: doc.id }).then(setDoc);
                chaveRef.current?.select();
              }}
            />
          ) : (
            <Notice kind="error">Só um CT-e autorizado recebe comprovante de entrega ({doc.statusLabel.toLowerCase()}).</Notice>
          )}
          <DocumentFacts doc={doc} />
        </section>
      )}
    </div>
  );
}
