import type { NoteFinalidade, ReferenciaDto } from '../../../../../shared/api/index';
import { Field } from '../../../components/field';
import { useOrderEditor } from './editor-store';

const FINALIDADES: { code: NoteFinalidade; label: string }[] = [
  { code: 1, label: '1 – Normal' },
  { code: 2, label: '2 – Complementar' },
  { code: 3, label: '3 – Ajuste' },
  { code: 4, label: '4 – Devolução' },
];

const MODELOS: { code: ReferenciaDto['modelo']; label: string }[] = [
  { code: '55', label: 'NF-e (55)' },
  { code: '65', label: 'NFC-e (65)' },
  { code: '57', label: 'CT-e (57)' },
];

/**
 * The note's kind: saída or entrada of own emission (a return from a customer who issues no
 * note), its finalidade, the documents it refers to (the original of a devolução, rejeição
 * 321; the complemented note, 254) and the customer's purchase order.
 */
export function NoteFields({ readOnly }: { readOnly: boolean }) {
  const tipo = useOrderEditor((s) => s.tipo);
  const finalidade = useOrderEditor((s) => s.finalidade);
  const referencias = useOrderEditor((s) => s.referencias);
  const pedidoCliente = useOrderEditor((s) => s.pedidoCliente);
  const errors = useOrderEditor((s) => s.errors);
  const patch = useOrderEditor((s) => s.patch);
  const setRef = (i: number, p: Partial<ReferenciaDto>) => patch({ referencias: referencias.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  const needsRef = finalidade === 2 || finalidade === 4;
  return (
    <div>
      <div className="form-grid cols-4">
        <Field label="Tipo da nota" required>
          {(p) => (
            <select {...p} disabled={readOnly} value={tipo} onChange={(e) => patch({ tipo: e.target.value === 'entrada' ? 'entrada' : 'saida' })}>
              <option value="saida">1 – Saída</option>
              <option value="entrada">0 – Entrada (emissão própria)</option>
            </select>
          )}
        </Field>
        <Field label="Finalidade" required error={errors.finalidade}>
          {(p) => (
            <select {...p} disabled={readOnly} value={finalidade} onChange={(e) => patch({ finalidade: Number(e.target.value) as NoteFinalidade })}>
              {FINALIDADES.map((f) => (
                <option key={f.code} value={f.code}>
                  {f.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Pedido do cliente" hint="Sai no grupo compra (xPed)" error={errors.pedidoCliente}>
          {(p) => <input {...p} maxLength={15} readOnly={readOnly} value={pedidoCliente} onChange={(e) => patch({ pedidoCliente: e.target.value })} />}
        </Field>
      </div>
      <div className="refs" role="group" aria-label="Documentos referenciados">
        <div className="refs-head">
          <strong>Documentos referenciados</strong>
          {needsRef && referencias.length === 0 && <span className="muted"> · {finalidade === 4 ? 'a devolução referencia a nota original' : 'a complementar referencia a nota complementada'}</span>}
        </div>
        {referencias.map((r, i) => (
          <div className="form-grid cols-4" key={i}>
            <Field label={`Modelo do documento ${i + 1}`}>
              {(p) => (
                <select {...p} disabled={readOnly} value={r.modelo} onChange={(e) => setRef(i, { modelo: e.target.value as ReferenciaDto['modelo'] })}>
                  {MODELOS.map((m) => (
                    <option key={m.code} value={m.code}>
                      {m.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={`Chave de acesso do documento ${i + 1}`} className="span-2" error={errors[`referencias[${i}].chave`]} hint={`${r.chave.length} de 44 dígitos`}>
              {(p) => (
                <input {...p} className="mono" inputMode="numeric" maxLength={44} readOnly={readOnly} value={r.chave} onChange={(e) => setRef(i, { chave: e.target.value.replace(/[^0-9A-Za-z]/g, '').toUpperCase().slice(0, 44) })} />
              )}
            </Field>
            {!readOnly && (
              <button type="button" className="small ref-remove" onClick={() => patch({ referencias: referencias.filter((_, j) => j !== i) })}>
                Remover documento {i + 1}
              </button>
            )}
          </div>
        ))}
        {errors.referencias && <p className="field-error">{errors.referencias}</p>}
        {!readOnly && (
          <button type="button" className="small" onClick={() => patch({ referencias: [...referencias, { modelo: '55', chave: '' }] })}>
            + Referenciar documento
          </button>
        )}
      </div>
    </div>
  );
}

/** Frete, seguro and outras despesas of the whole note, apportioned over the items by value. */
export function OrderChargesFields({ readOnly }: { readOnly: boolean }) {
  const charges = useOrderEditor((s) => s.charges);
  const errors = useOrderEditor((s) => s.errors);
  const patch = useOrderEditor((s) => s.patch);
  const field = (k: keyof typeof charges, label: string) => (
    <Field label={label} error={errors[k]}>
      {(p) => <input {...p} className="num" inputMode="decimal" placeholder="0,00" readOnly={readOnly} value={charges[k]} onChange={(e) => patch({ charges: { ...charges, [k]: e.target.value } })} />}
    </Field>
  );
  return (
    <div className="form-grid">
      {field('frete', 'Frete do pedido (R$)')}
      {field('seguro', 'Seguro do pedido (R$)')}
      {field('outrasDespesas', 'Outras despesas do pedido (R$)')}
      <p className="field-hint span-3">Rateados pelos itens conforme o valor de cada um; encargos próprios de um item ficam em “Impostos” do item.</p>
    </div>
  );
}
