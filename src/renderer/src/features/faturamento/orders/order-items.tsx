import type { ProductDto } from '../../../../../shared/api/index';
import { Field } from '../../../components/field';
import { formatCentavos, grossCentavos, parseDecimal } from '../../../lib/money';
import { DiscountField } from './discount-field';
import { ShortcutHint } from '../../../components/shortcut-hint';
import { hasFiscalText, rowSections, useOrderEditor, type ItemRow } from './editor-store';
import { ItemFiscalPanel } from './item-fiscal-panel';

interface Props {
  products: ProductDto[];
  readOnly: boolean;
}

/**
 * The item's value after its own discount, as the core computed it (orders.totals); while
 * the core has not answered for the rows on screen, qCom × vUnCom, marked as gross.
 */
function itemValue(r: ItemRow, liquido: number | undefined): string {
  if (liquido !== undefined) return formatCentavos(liquido);
  const q = parseDecimal(r.quantidade, 4);
  const p = parseDecimal(r.precoUnitario, 10);
  const gross = q !== null && p !== null ? grossCentavos(q, p) : null;
  return gross === null ? '—' : formatCentavos(gross);
}

function ItemLine({ row, index, products, readOnly }: Props & { row: ItemRow; index: number }) {
  const errors = useOrderEditor((s) => s.errors);
  const updateRow = useOrderEditor((s) => s.updateRow);
  const chooseProduct = useOrderEditor((s) => s.chooseProduct);
  const removeRow = useOrderEditor((s) => s.removeRow);
  const n = index + 1;
  const chosen = products.find((x) => x.id === row.productId) ?? null;
  const err = (f: string) => errors[`items[${index}].${f}`];
  const review = row.productId && row.taxSource === 'new';
  const naturezaId = useOrderEditor((s) => s.naturezaId);
  const sections = rowSections(row, naturezaId);
  // ST to charge, ST retained or GLP shares: the note cannot go without them, so the panel opens.
  const needsFiscal = sections.st || sections.retido || sections.glp;
  const fiscalError = Object.keys(errors).some((k) => k.startsWith(`items[${index}].`) && !/\.(productId|quantidade|precoUnitario|desconto|cstICMS)$/.test(k));
  const open = fiscalError || (row.fiscalOpen ?? needsFiscal);
  const toggleFiscal = useOrderEditor((s) => s.toggleFiscal);
  const liquido = useOrderEditor((s) => (s.totals && s.totals.itemLiquidoCentavos.length === s.rows.length ? s.totals.itemLiquidoCentavos[index] : undefined));
  return (
    <>
      <tr className={review ? 'row-review' : undefined} data-testid={`item-row-${n}`}>
        <td className="num muted">{n}</td>
        <td className="col-product">
          <Field label={`Produto do item ${n}`} hideLabel required error={err('productId')}>
            {(p) => (
              <select {...p} data-item-product={n} value={row.productId} disabled={readOnly} onChange={(e) => void chooseProduct(row.key, products.find((x) => x.id === e.target.value) ?? null)}>
                <option value="">Escolha…</option>
                {products.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.codigo} – {x.descricao}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {chosen && (
            // The select shows what fits; the whole name (and its fiscal codes) always reads here (#22 item 13).
            <div className="item-product-name" data-testid={`item-product-name-${n}`}>
              {chosen.descricao}
              <span className="muted">
                {' '}
                · NCM {chosen.ncm}
                {chosen.cProdANP ? ` · ANP ${chosen.cProdANP}` : ''}
              </span>
            </div>
          )}
          <button
            type="button"
            className={`link-button fiscal-toggle${hasFiscalText(row.fiscal) ? ' has-data' : ''}`}
            aria-expanded={open}
            aria-controls={`item-fiscal-${n}`}
            aria-label={`Impostos e encargos do item ${n}`}
            title="ICMS-ST, alíquota, CFOP do item, encargos e dados do combustível"
            onClick={() => toggleFiscal(row.key, !open)}
          >
            {open ? '▾' : '▸'} Impostos e encargos{hasFiscalText(row.fiscal) ? ' ●' : ''}
          </button>
        </td>
        <td className="col-qty">
          <Field label={`Quantidade em litros do item ${n}`} hideLabel required error={err('quantidade')}>
            {(p) => <input {...p} className="num" inputMode="decimal" placeholder="0,0000" readOnly={readOnly} value={row.quantidade} onChange={(e) => updateRow(row.key, { quantidade: e.target.value })} />}
          </Field>
        </td>
        <td className="col-price">
          <Field label={`Preço unitário do item ${n}`} hideLabel required error={err('precoUnitario')}>
            {(p) => <input {...p} className="num" inputMode="decimal" placeholder="0,0000" readOnly={readOnly} value={row.precoUnitario} onChange={(e) => updateRow(row.key, { precoUnitario: e.target.value })} />}
          </Field>
        </td>
        <td className="col-discount">
          <DiscountField label={`Desconto do item ${n}`} compact perLiter readOnly={readOnly} value={row.desconto} error={err('desconto')} onChange={(desconto) => updateRow(row.key, { desconto })} />
        </td>
        <td className="col-cst">
          <Field label={`CST ICMS do item ${n}`} hideLabel error={err('cstICMS')}>
            {(p) => <input {...p} maxLength={3} placeholder="CST" readOnly={readOnly} value={row.cstICMS} onChange={(e) => updateRow(row.key, { cstICMS: e.target.value.replace(/\D/g, '') })} />}
          </Field>
        </td>
        <td className="num nowrap" data-testid={`item-value-${n}`}>
          {itemValue(row, liquido)}
        </td>
        <td>
          {!readOnly && (
            <button type="button" className="icon-button" aria-label={`Remover item ${n}`} onClick={() => removeRow(row.key)}>
              ×
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="item-fiscal-row" id={`item-fiscal-${n}`}>
          <td />
          <td colSpan={7}>
            <ItemFiscalPanel row={row} index={index} readOnly={readOnly} />
          </td>
        </tr>
      )}
      {review && (
        <tr className="row-review-note" data-testid={`item-review-${n}`}>
          <td />
          <td colSpan={7}>
            <span role="note">
              <span aria-hidden="true">ℹ </span>
              Conferir impostos: este produto ainda não saiu em nota para este cliente ou UF. Confira o CST do ICMS e a natureza da operação.
            </span>
          </td>
        </tr>
      )}
    </>
  );
}

/** F3 / "+ Incluir item": a new row, with the focus on its product. */
export function addItemAndFocus(addRow: () => void): void {
  addRow();
  setTimeout(() => {
    const n = useOrderEditor.getState().rows.length;
    document.querySelector<HTMLElement>(`[data-item-product="${n}"]`)?.focus();
  }, 0);
}

export function OrderItems(props: Props) {
  const rows = useOrderEditor((s) => s.rows);
  const itemsError = useOrderEditor((s) => s.errors.items);
  const addRow = useOrderEditor((s) => s.addRow);
  return (
    <div>
      <div className="items-scroll">
      <table className="grid items-grid" aria-label="Itens do pedido">
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">
              Produto <span className="required-mark">*</span>
            </th>
            <th scope="col" className="num">
              Quantidade (L) <span className="required-mark">*</span>
            </th>
            <th scope="col" className="num">
              Preço unit. (R$) <span className="required-mark">*</span>
            </th>
            <th scope="col">Desconto</th>
            <th scope="col" title="CST do ICMS">CST</th>
            <th scope="col" className="num">
              Valor
            </th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <ItemLine key={r.key} row={r} index={i} {...props} />
          ))}
        </tbody>
      </table>
      </div>
      {itemsError && <p className="field-error">{itemsError}</p>}
      {!props.readOnly && (
        <button type="button" className="small" aria-keyshortcuts="F3" onClick={() => addItemAndFocus(addRow)}>
          + Incluir item
          <ShortcutHint keys="F3" />
        </button>
      )}
    </div>
  );
}
