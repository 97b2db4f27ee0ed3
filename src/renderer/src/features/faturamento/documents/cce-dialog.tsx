import { useState } from 'react';
import type { DocumentDetail } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Field } from '../../../components/field';
import { FormDialog } from '../../../components/form-dialog';
import { errorText } from '../../../lib/errors';

const MIN = 15;
const MAX = 1000;

/** xCondUso: the fixed text the CC-e event carries (NF-e 4.00 event layout, tpEvento 110110). */
export const CONDICOES_DE_USO =
  'A Carta de Correcao e disciplinada pelo paragrafo 1o-A do art. 7o do Convenio S/N, de 15 de dezembro de 1970 e pode ser utilizada para regularizacao de erro ocorrido na emissao de documento fiscal, desde que o erro nao esteja relacionado com: I - as variaveis que determinam o valor do imposto tais como: base de calculo, aliquota, diferenca de preco, quantidade, valor da operacao ou da prestacao; II - a correcao de dados cadastrais que implique mudanca do remetente ou do destinatario; III - a data de emissao ou de saida.';

export function CceDialog({ doc, onClose, onDone }: { doc: DocumentDetail; onClose(): void; onDone(message: string): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const len = text.trim().length;

  const submit = async () => {
    if (len < MIN || len > MAX) {
      setError(`A correção deve ter entre ${MIN} e ${MAX} caracteres.`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await call('documents.cce', { id: doc.id, correcao: text.trim() });
      onDone(`Carta de correção da NF-e ${doc.number} registrada.`);
    } catch (err) {
      setError(errorText(err, 'Carta de correção não registrada'));
      setBusy(false);
    }
  };

  const previous = doc.events.filter((e) => e.tpEvento === '110110').length;
  return (
    <FormDialog title={`Carta de correção – NF-e ${doc.number}`} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Enviando…' : 'Enviar carta de correção'} busy={busy} wide>
      <div className="cond-uso">
        <strong>Condições de uso</strong>
        <p>{CONDICOES_DE_USO}</p>
      </div>
      {previous > 0 && <p className="field-hint">Esta nota já tem {previous} carta(s) de correção: a nova substitui as anteriores e deve conter todas as correções.</p>}
      <Field label="Correção" required error={error} hint={`${len} de ${MIN}–${MAX} caracteres`}>
        {(p) => <textarea {...p} rows={5} maxLength={MAX} data-autofocus value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
    </FormDialog>
  );
}
