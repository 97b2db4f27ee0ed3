import { orderLabel } from '../../../../../shared/format';
import { useEffect, useState, type FormEvent } from 'react';
import { call } from '../../../api';
import { Dialog } from '../../../components/dialog';
import { Field } from '../../../components/field';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { ORDER_STATUS_LABELS, T_PAG } from '../../../lib/fiscal-options';
import { useFaturamentoView } from '../view-store';
import { CustomerPicker } from './customer-picker';
import { DiscountField } from './discount-field';
import { isReadOnly, setNaturezasForDefaults, setProductsForEditor, toOrderDto, useOrderEditor } from './editor-store';
import { NoteFields, OrderChargesFields } from './note-fields';
import { FinalizeDialog } from './finalize-dialog';
import { addItemAndFocus, OrderItems } from './order-items';
import { OrderTotalsPanel } from './order-totals';
import { TransportFields } from './transport-fields';
import { ShortcutHint } from '../../../components/shortcut-hint';
import { useShortcut } from '../../../hooks/use-shortcut';
import { leave, setLeaveGuard } from '../../../lib/leave-guard';
import { remember } from '../../../lib/tab-memory';
import { holderMessage } from './editor-store/holder';


/** infCpl holds 5000 characters; the natureza's own text shares them. */
const OBSERVACOES_MAX = 5000;
export function OrderEditor({ orderId }: { orderId: string }) {
  const edit = useFaturamentoView((s) => s.edit);
  const showDocument = useFaturamentoView((s) => s.showDocument);
  const s = useOrderEditor();
  const [finalizing, setFinalizing] = useState(false);
  /** Where the user wanted to go when asked about unsaved changes. */
  const [pendingLeave, setPendingLeave] = useState<(() => void) | null>(null);
  const products = useApiQuery(() => call('products.list'), '', 'Não foi possível carregar os produtos');
  const naturezas = useApiQuery(() => call('naturezas.list'), '', 'Não foi possível carregar as naturezas de operação');

  useEffect(() => setNaturezasForDefaults(naturezas.data ?? []), [naturezas.data]);
  useEffect(() => setProductsForEditor(products.data ?? []), [products.data]);
  const { openOrder, newOrder, copyOrder, returnOrder, close, refreshTotals } = s;
  useEffect(() => {
    if (orderId === 'new') void newOrder();
    else if (orderId.startsWith('copy:')) void copyOrder(orderId.slice(5));
    else if (orderId.startsWith('return:')) void returnOrder(orderId.slice(7));
    else void openOrder(orderId);
    return () => close();
  }, [orderId, openOrder, newOrder, copyOrder, returnOrder, close]);

  // Live totals: ask the core a moment after the user stops typing.
  const dtoKey = JSON.stringify(toOrderDto(s));
  useEffect(() => {
    if (dtoKey === 'null') return;
    const t = setTimeout(() => void refreshTotals(), 300);
    return () => clearTimeout(t);
  }, [dtoKey, refreshTotals]);

  const readOnly = isReadOnly(s);
  const mustAsk = s.dirty && !readOnly;
  useEffect(
    () =>
      setLeaveGuard((proceed) => {
        if (!mustAsk) return false;
        setPendingLeave(() => proceed);
        return true;
      }),
    [mustAsk],
  );

  // Autosave on this station: what is typed survives a reload, a crash or a power cut.
  const { keepLocally } = s;
  useEffect(() => {
    if (!s.dirty || !s.order) return;
    remember('editing', s.order.id);
    const t = setTimeout(keepLocally, 400);
    return () => clearTimeout(t);
  }, [s.dirty, s.order, s.rows, s.customer, s.naturezaId, s.descontoEspecial, s.descontoPagador, s.transporte, s.tPag, s.observacoes, s.tipo, s.finalidade, s.referencias, s.charges, s.pedidoCliente, keepLocally]);

  const back = () => leave(() => edit(null));
  useShortcut('F3', () => addItemAndFocus(s.addRow), !readOnly && !!s.order);
  useShortcut('F9', () => void finalize(), !readOnly && !!s.order && !s.saving);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!readOnly) await s.save();
  };
  const finalize = async () => {
    if ((await s.save()) && useOrderEditor.getState().readyToFinalize()) setFinalizing(true);
  };

  if (s.loading) return <p className="muted">Carregando pedido…</p>;
  if (!s.order) {
    return (
      <div>
        {s.formError && <Notice kind="error">{s.formError}</Notice>}
        <button type="button" onClick={() => edit(null)}>
          Voltar aos pedidos
        </button>
      </div>
    );
  }

  const order = s.order;
  return (
    <form className="order-editor" onSubmit={submit} noValidate aria-label={orderLabel(order.numeroPedido)}>
      <div className="editor-header">
        <button type="button" onClick={back}>
          ← Pedidos
        </button>
        <h2>
          {orderLabel(order.numeroPedido)} <span className={`pill pill-${order.status}`}>{ORDER_STATUS_LABELS[order.status] ?? order.status}</span>
        </h2>
        <span className="spacer" />
        {order.documentId && (
          <button type="button" onClick={() => showDocument(order.documentId!)}>
            Ver documento
          </button>
        )}
      </div>
      {s.formError && <Notice kind="error">{s.formError}</Notice>}
      {s.savedMessage && <Notice kind="ok">{s.savedMessage}</Notice>}
      {products.error && <Notice kind="error">{products.error}</Notice>}
      {naturezas.error && <Notice kind="error">{naturezas.error}</Notice>}
      {s.heldBy ? (
        <Notice kind="info">
          <span data-testid="order-held">{holderMessage(s.heldBy)}</span>{' '}
          <button type="button" className="small" onClick={() => void s.checkHolder()}>
            Verificar de novo
          </button>
        </Notice>
      ) : (
        readOnly && <Notice kind="info">Este pedido já foi faturado ou está em faturamento: somente consulta.</Notice>
      )}
      {s.restored && !readOnly && (
        <Notice kind="info">
          <span data-testid="order-restored">Alterações ainda não salvas, recuperadas desta estação. Confira e salve para gravá-las no pedido.</span>
        </Notice>
      )}

      <div className="editor-layout">
        <div className="editor-main">
          <fieldset className="card">
            <legend>Cliente</legend>
            <CustomerPicker customer={s.customer} onChange={s.setCustomer} error={s.errors.customerId} disabled={readOnly} />
            <Field label="Natureza da operação" required error={s.errors.naturezaId}>
              {(p) => (
                <select {...p} value={s.naturezaId} disabled={readOnly} onChange={(e) => s.patch({ naturezaId: e.target.value })}>
                  <option value="">Escolha…</option>
                  {(naturezas.data ?? []).map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.descricao} (CFOP {x.cfopInterna}/{x.cfopInterestadual})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>
          <fieldset className="card">
            <legend>Nota</legend>
            <NoteFields readOnly={readOnly} />
          </fieldset>
          <fieldset className="card">
            <legend>Itens</legend>
            <OrderItems products={products.data ?? []} readOnly={readOnly} />
          </fieldset>
          <div className="card-row">
            <fieldset className="card">
              <legend>Descontos</legend>
              <DiscountField
                label="Desconto especial do pedido"
                hint="Aplicado depois dos descontos dos itens"
                readOnly={readOnly}
                value={s.descontoEspecial}
                error={s.errors.descontoEspecial}
                onChange={(descontoEspecial) => s.patch({ descontoEspecial })}
              />
              <DiscountField
                label="Desconto do pagador"
                hint="Desconto do cliente, aplicado por último"
                readOnly={readOnly}
                value={s.descontoPagador}
                error={s.errors.descontoPagador}
                onChange={(descontoPagador) => s.patch({ descontoPagador })}
              />
            </fieldset>
            <fieldset className="card">
              <legend>Pagamento e observações</legend>
              <Field label="Forma de pagamento" required error={s.errors.tPag}>
                {(p) => (
                  <select {...p} disabled={readOnly} value={s.tPag} onChange={(e) => s.patch({ tPag: e.target.value })}>
                    <option value="">Escolha…</option>
                    {T_PAG.map((t) => (
                      <option key={t.code} value={t.code}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Informações complementares" error={s.errors.observacoes} hint={`Saem nas informações complementares da nota · ${s.observacoes.length} de ${OBSERVACOES_MAX} caracteres`}>
                {(p) => <textarea {...p} rows={2} maxLength={OBSERVACOES_MAX} readOnly={readOnly} value={s.observacoes} onChange={(e) => s.patch({ observacoes: e.target.value })} />}
              </Field>
            </fieldset>
          </div>
          <fieldset className="card">
            <legend>Encargos do pedido</legend>
            <OrderChargesFields readOnly={readOnly} />
          </fieldset>
          <fieldset className="card">
            <legend>Transporte</legend>
            <TransportFields readOnly={readOnly} />
          </fieldset>
        </div>
        <div className="editor-side">
          <OrderTotalsPanel />
          {!readOnly && (
            <div className="editor-actions">
              <button type="submit" disabled={s.saving}>
                {s.saving ? 'Salvando…' : 'Salvar'}
              </button>
              <button type="button" className="primary" aria-keyshortcuts="F9" disabled={s.saving} onClick={() => void finalize()}>
                Finalizar…
                <ShortcutHint keys="F9" />
              </button>
            </div>
          )}
        </div>
      </div>
      {finalizing && <FinalizeDialog order={order} onClose={() => setFinalizing(false)} />}
      {pendingLeave && (
        <Dialog
          title="Alterações não salvas"
          onClose={() => setPendingLeave(null)}
          footer={
            <>
              <button type="button" className="danger" onClick={() => {
                s.discard();
                setPendingLeave(null);
                pendingLeave();
              }}>
                Descartar alterações
              </button>
              <button type="button" onClick={() => setPendingLeave(null)}>
                Continuar editando
              </button>
              <button type="button" className="primary" data-autofocus onClick={() => {
                const go = pendingLeave;
                setPendingLeave(null);
                void s.save().then((ok) => ok && go());
              }}>
                Salvar e sair
              </button>
            </>
          }
        >
          <p>{order.numeroPedido ? `O pedido ${order.numeroPedido}` : 'Este pedido novo'} tem alterações que ainda não foram salvas. Salvar antes de sair?</p>
        </Dialog>
      )}
    </form>
  );
}
