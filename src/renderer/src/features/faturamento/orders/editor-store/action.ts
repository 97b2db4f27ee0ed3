import type { StateCreator } from 'zustand';
import type { CustomerDto, OrderDto, ProductDto } from '../../../../../../shared/api/index';
import { call } from '../../../../api';
import { apiErrorOf, errorText, normalizeFieldPath } from '../../../../lib/errors';
import { formatDecimal, formatLitros, formatPercentual, formatPrecoUnitario } from '../../../../lib/money';
import { EMPTY_FISCAL, emptyTransport, initialEditorState, NO_CHARGES, NO_DISCOUNT, type ChargesText, type DiscountInput, type EditorState, type ItemRow } from './initial-state';
import { naturezaOf } from './catalog';
import { fiscalText, type FiscalKey, type ItemFiscalText } from './item-fiscal';
import { toOrderDto, validate } from './selectors';
import { useAppStore } from '../../../../stores/app-store';
import { dropDraft, keepDraft, readDraft } from './local-draft';
import { holderMessage } from './holder';

type TextPatch = Partial<Pick<EditorState, 'naturezaId' | 'descontoEspecial' | 'descontoPagador' | 'tPag' | 'observacoes' | 'tipo' | 'finalidade' | 'referencias' | 'charges' | 'pedidoCliente'>>;

export interface EditorAction {
  openOrder(id: string): Promise<void>;
  newOrder(): Promise<void>;
  /** A new draft from an earlier order, not saved until the faturista saves it. */
  copyOrder(sourceId: string): Promise<void>;
  /** A new devolução draft of an authorized note, not saved until the faturista saves it. */
  returnOrder(documentId: string): Promise<void>;
  close(): void;
  /** Drops the unsaved changes (and this station's copy of them). */
  discard(): void;
  /** Keeps what is typed on this station so a reload or crash loses nothing. */
  keepLocally(): void;
  /** Asks the LAN server who holds the order now; read-only while someone else does. */
  checkHolder(): Promise<void>;
  setCustomer(customer: CustomerDto | null): void;
  patch(p: TextPatch): void;
  patchTransport(p: Partial<EditorState['transporte']>): void;
  addRow(): void;
  removeRow(key: number): void;
  updateRow(key: number, p: Partial<Omit<ItemRow, 'key'>>): void;
  /** One typed fiscal value of an item (ST, rates, charges, fuel data). */
  /** Opens or closes an item's "Impostos e encargos" (not an edit of the order). */
  toggleFiscal(key: number, open: boolean): void;
  patchRowFiscal(key: number, p: Partial<Omit<ItemFiscalText, 'values'>> & { values?: Partial<Record<FiscalKey, string>> }): void;
  chooseProduct(key: number, product: ProductDto | null): Promise<void>;
  refreshTotals(): Promise<void>;
  /** Validates, then saves; false (with messages set) when something must be fixed. */
  save(): Promise<boolean>;
  /** After saving: true when the core's totals list nothing that would stop finalize. */
  readyToFinalize(): boolean;
}

export type EditorStore = EditorState & EditorAction;

const me = () => useAppStore.getState().session?.user.login ?? '';

const naturezaModFrete = (id: string) => naturezaOf(id)?.modFrete;

const FIX_FIELDS = 'Corrija os campos destacados em vermelho.';

let nextKey = 1;
let totalsSeq = 0;

function discountInput(d: OrderDto['descontoEspecial'] | undefined): DiscountInput {
  if (!d || d.tipo === 'nenhum' || /^0*(\.0*)?$/.test(d.valor)) return NO_DISCOUNT;
  return { tipo: d.tipo, valor: d.tipo === 'valor' ? formatDecimal(d.valor, 2) : d.tipo === 'porLitro' ? formatPrecoUnitario(d.valor) : formatPercentual(d.valor) };
}

function rowFromItem(item: OrderDto['items'][number]): ItemRow {
  return {
    key: nextKey++,
    productId: item.productId,
    quantidade: formatLitros(item.quantidade),
    precoUnitario: formatPrecoUnitario(item.precoUnitario),
    desconto: discountInput(item.desconto),
    cstICMS: item.cstICMS ?? '',
    adRemICMS: item.adRemICMS ?? null,
    taxSource: 'saved',
    fiscal: fiscalText(item.fiscal),
    fiscalOpen: null,
  };
}

function blankRow(): ItemRow {
  return { key: nextKey++, productId: '', quantidade: '', precoUnitario: '', desconto: NO_DISCOUNT, cstICMS: '', adRemICMS: null, taxSource: 'new', fiscal: EMPTY_FISCAL, fiscalOpen: null };
}

const chargeText = (v: string | null | undefined) => (v ? formatDecimal(v, 2) : '');
function chargesOf(order: OrderDto): ChargesText {
  return { frete: chargeText(order.frete), seguro: chargeText(order.seguro), outrasDespesas: chargeText(order.outrasDespesas) };
}

/** Rows and drafts saved before the fiscal fields existed lack them. */
function withFiscal(r: ItemRow): ItemRow {
  return r.fiscal ? r : { ...r, fiscal: EMPTY_FISCAL, fiscalOpen: null };
}

/** Weights and seals as typed from the saved decimals. */
function transportText(t: OrderDto['transporte']): EditorState['transporte'] {
  const v = t.volume;
  return {
    ...emptyTransport,
    ...t,
    volume: v ? { ...v, pesoLiquido: v.pesoLiquido ? formatDecimal(v.pesoLiquido, 3) : null, pesoBruto: v.pesoBruto ? formatDecimal(v.pesoBruto, 3) : null } : null,
  };
}

function stateFromOrder(order: OrderDto, customer: CustomerDto | null): Partial<EditorState> {
  return {
    ...initialEditorState,
    order,
    customer,
    naturezaId: order.naturezaId ?? '',
    rows: order.items.length ? order.items.map(rowFromItem) : [blankRow()],
    descontoEspecial: discountInput(order.descontoEspecial),
    descontoPagador: discountInput(order.descontoPagador),
    transporte: transportText(order.transporte),
    // A saved order keeps its transport; a fresh one takes the customer's usual one.
    transportTouched: order.items.length > 0 || !!order.customerId,
    tPag: order.tPag,
    observacoes: order.observacoes,
    tipo: order.tipo ?? 'saida',
    finalidade: order.finalidade ?? 1,
    referencias: order.referencias ?? [],
    charges: chargesOf(order),
    pedidoCliente: order.pedidoCliente ?? '',
  };
}

/** Drop a field's message as soon as the user touches it. */
function without(errors: Record<string, string>, ...fields: string[]): Record<string, string> {
  // A list field ("transporte.reboques", "referencias") also clears its rows' messages.
  const hit = (k: string) => fields.some((f) => k === f || k.startsWith(`${f}.`) || k.startsWith(`${f}[`));
  if (!Object.keys(errors).some(hit)) return errors;
  return Object.fromEntries(Object.entries(errors).filter(([k]) => !hit(k)));
}

export const createEditorActions: StateCreator<EditorStore, [], [], EditorAction> = (set, get) => {
  const touched = (fields: string[], p: Partial<EditorState>) =>
    set((s) => {
      const errors = without(s.errors, ...fields);
      // Once nothing is red any more, "Corrija os campos…" would point at nothing.
      const formError = s.formError === FIX_FIELDS && Object.keys(errors).length === 0 ? null : s.formError;
      return { ...p, errors, formError, dirty: true, savedMessage: null };
    });

  const applyTaxDefaults = async (key: number) => {
    const { rows, customer } = get();
    const row = rows.find((r) => r.key === key);
    if (!row?.productId || !customer) return;
    try {
      const d = await call('orders.taxDefaults', { productId: row.productId, customerId: customer.id });
      set((s) => ({
        rows: s.rows.map((r) =>
          r.key !== key || r.productId !== row.productId
            ? r
            : d
              ? { ...r, cstICMS: d.cstICMS ?? '', adRemICMS: d.adRemICMS ?? r.adRemICMS, taxSource: 'history', ...(d.fiscal ? { fiscal: fiscalText(d.fiscal, r.fiscal) } : {}) }
              : { ...r, taxSource: r.taxSource === 'manual' ? 'manual' : 'new' },
        ),
      }));
    } catch {
      // Defaults are a convenience: the row stays marked for review.
      set((s) => ({ rows: s.rows.map((r) => (r.key === key && r.taxSource !== 'manual' ? { ...r, taxSource: 'new' } : r)) }));
    }
  };

  return {
    openOrder: async (id) => {
      set({ ...initialEditorState, loading: true });
      const draft = readDraft(me(), id);
      try {
        const order = await call('orders.get', { id }).catch((err: unknown) => {
          // A never-saved order exists only as this station's draft.
          if (draft && apiErrorOf(err).code === 'NOT_FOUND') return null;
          throw err;
        });
        if (draft && (!order || (order.status === 'rascunho' && order.updatedAt === draft.order?.updatedAt))) {
          const { savedAt: _savedAt, ...stored } = draft;
          const fields = { ...stored, rows: stored.rows.map(withFiscal), charges: stored.charges ?? NO_CHARGES, referencias: stored.referencias ?? [] };
          // Row keys of the restored rows must not be handed out again.
          nextKey = Math.max(nextKey, ...fields.rows.map((r) => r.key + 1));
          set({ ...initialEditorState, ...fields, dirty: true, restored: true });
          void get().checkHolder();
          void get().refreshTotals();
          return;
        }
        if (draft) dropDraft(me(), id);
        if (!order) throw new Error('Pedido não encontrado.');
        let customer: CustomerDto | null = null;
        let formError: string | null = null;
        if (order.customerId) {
          try {
            customer = await call('customers.get', { id: order.customerId });
          } catch (err) {
            formError = errorText(err, 'Não foi possível carregar o cliente do pedido');
          }
        }
        set({ ...stateFromOrder(order, customer), formError });
        void get().checkHolder();
        void get().refreshTotals();
      } catch (err) {
        set({ ...initialEditorState, formError: errorText(err, 'Não foi possível abrir o pedido') });
      }
    },
    newOrder: async () => {
      set({ ...initialEditorState, loading: true });
      try {
        const order = await call('orders.new');
        set(stateFromOrder(order, null));
      } catch (err) {
        set({ ...initialEditorState, formError: errorText(err, 'Não foi possível criar o pedido') });
      }
    },
    copyOrder: async (sourceId) => {
      set({ ...initialEditorState, loading: true });
      try {
        const order = await call('orders.copy', { id: sourceId });
        const customer = order.customerId ? await call('customers.get', { id: order.customerId }).catch(() => null) : null;
        set({ ...stateFromOrder(order, customer), dirty: true, savedMessage: null });
        void get().refreshTotals();
      } catch (err) {
        set({ ...initialEditorState, formError: errorText(err, 'Não foi possível copiar o pedido') });
      }
    },
    returnOrder: async (documentId) => {
      set({ ...initialEditorState, loading: true });
      try {
        const order = await call('orders.returnOf', { documentId });
        const customer = order.customerId ? await call('customers.get', { id: order.customerId }).catch(() => null) : null;
        set({ ...stateFromOrder(order, customer), dirty: true, savedMessage: null });
        void get().refreshTotals();
      } catch (err) {
        set({ ...initialEditorState, formError: errorText(err, 'Não foi possível preparar a devolução') });
      }
    },
    close: () => set({ ...initialEditorState }),
    discard: () => {
      const id = get().order?.id;
      if (id) dropDraft(me(), id);
      set({ dirty: false, restored: false });
    },
    keepLocally: () => {
      if (get().dirty) keepDraft(me(), get());
    },
    checkHolder: async () => {
      const id = get().order?.id;
      if (!id || get().order?.status !== 'rascunho') return;
      try {
        const r = await call('orders.holder', { id });
        if (get().order?.id === id) set({ heldBy: r.holder });
      } catch {
        // Offline or no LAN session: the server refuses a held order's changes anyway.
      }
    },
    setCustomer: (customer) => {
      const s = get();
      const fallback = s.transporte.modFrete;
      const transporte = s.transportTouched || !customer ? s.transporte : (customer.freteHabitual ?? { ...emptyTransport, modFrete: fallback });
      touched(['customerId'], { customer, transporte });
      if (customer) for (const r of get().rows) if (r.productId && r.taxSource !== 'manual') void applyTaxDefaults(r.key);
    },
    patch: (input) => {
      const s = get();
      let p = input;
      // The natureza says whether the note is an entrada and its finalidade (a devolução natureza → entrada, finNFe 4).
      if (input.naturezaId !== undefined) {
        const n = naturezaOf(input.naturezaId);
        p = { ...p, tipo: n?.tipo ?? 'saida', finalidade: n?.finalidade ?? 1 };
      }
      // Devolução, ajuste and complementar carry no sale payment (rejeição 871): "90 – Sem pagamento".
      if (p.finalidade !== undefined && p.finalidade !== 1 && p.finalidade !== s.finalidade) p = { ...p, tPag: '90' };
      // A natureza with its own modalidade applies while neither the faturista nor the customer chose one.
      if (p.naturezaId !== undefined && !s.transportTouched && !s.customer?.freteHabitual) {
        const mod = naturezaModFrete(p.naturezaId);
        if (mod !== null && mod !== undefined) {
          touched(Object.keys(p), { ...p, transporte: { ...s.transporte, modFrete: mod } });
          return;
        }
      }
      touched(Object.keys(p), p);
    },
    patchTransport: (p) => {
      const transporte = { ...get().transporte, ...p };
      // "9 – Sem frete" hides every transport field, and with them their messages.
      const fields = transporte.modFrete === 9 ? Object.keys(get().errors).filter((f) => f.startsWith('transporte.')) : Object.keys(p).map((k) => `transporte.${k}`);
      touched(fields, { transporte, transportTouched: true });
    },
    addRow: () => touched(['items'], { rows: [...get().rows, blankRow()] }),
    removeRow: (key) => {
      // Field paths are positional: messages of later rows would point at the wrong line.
      set((s) => ({ rows: s.rows.filter((r) => r.key !== key), errors: {}, dirty: true }));
    },
    toggleFiscal: (key, open) => set((s) => ({ rows: s.rows.map((r) => (r.key === key ? { ...r, fiscalOpen: open } : r)) })),
    patchRowFiscal: (key, p) => {
      const i = get().rows.findIndex((r) => r.key === key);
      const fields = [...Object.keys(p.values ?? {}), ...(p.modalidadeST !== undefined ? ['icmsSt.modalidade'] : []), ...(p.origem ? ['origem'] : [])].map((k) => `items[${i}].${k}`);
      touched(fields, {
        rows: get().rows.map((r) => (r.key === key ? { ...r, fiscal: { ...r.fiscal, ...p, values: { ...r.fiscal.values, ...(p.values ?? {}) } } } : r)),
      });
    },
    updateRow: (key, p) => {
      const i = get().rows.findIndex((r) => r.key === key);
      const fields = Object.keys(p).map((k) => `items[${i}].${k}`);
      const manual = 'cstICMS' in p;
      touched(fields, { rows: get().rows.map((r) => (r.key === key ? { ...r, ...p, ...(manual ? { taxSource: 'manual' as const } : {}) } : r)) });
    },
    chooseProduct: async (key, product) => {
      const i = get().rows.findIndex((r) => r.key === key);
      touched([`items[${i}].productId`, `items[${i}].precoUnitario`], {
        rows: get().rows.map((r) =>
          r.key !== key
            ? r
            : {
                ...r,
                productId: product?.id ?? '',
                precoUnitario: r.precoUnitario || (product ? formatPrecoUnitario(product.precoUnitario) : ''),
                adRemICMS: product?.adRemICMS ?? null,
                taxSource: 'new',
              },
        ),
      });
      if (product) await applyTaxDefaults(key);
    },
    refreshTotals: async () => {
      const dto = toOrderDto(get());
      if (!dto) return;
      const mine = ++totalsSeq;
      try {
        const totals = await call('orders.totals', dto);
        if (mine === totalsSeq) set({ totals, totalsError: null });
      } catch (err) {
        if (mine === totalsSeq) set({ totalsError: errorText(err, 'Totais indisponíveis') });
      }
    },
    readyToFinalize: () => {
      const pend = get().totals?.pendencias ?? [];
      if (pend.length === 0) return true;
      const errors: Record<string, string> = {};
      for (const p of pend) {
        const field = normalizeFieldPath(p.field) ?? p.field;
        errors[field] = p.message;
        // The fiscal core names the transporter as a group; the form asks for it in two places.
        if (field === 'transporte.transportador') {
          errors['transporte.transportadorNome'] = p.message;
          if (get().transporte.modFrete === 9) errors['transporte.modFrete'] = p.message;
        }
      }
      set({ errors, formError: `Antes de finalizar: ${pend.map((p) => p.message).join(' ')}`, savedMessage: null });
      return false;
    },
    save: async () => {
      const errors = validate(get());
      if (Object.keys(errors).length) {
        set({ errors, formError: FIX_FIELDS, savedMessage: null });
        return false;
      }
      const dto = toOrderDto(get());
      if (!dto) return false;
      set({ saving: true, formError: null });
      try {
        // Someone may have started finalizing it since it was opened.
        await get().checkHolder();
        const heldBy = get().heldBy;
        if (heldBy) {
          set({ saving: false, formError: `${holderMessage(heldBy)} Suas alterações continuam guardadas nesta estação.` });
          return false;
        }
        const { order, totals } = await call('orders.save', dto);
        dropDraft(me(), order.id);
        set((s) => ({ order, totals, saving: false, dirty: false, errors: {}, savedMessage: `Pedido ${order.numeroPedido} salvo.`, restored: false, rows: s.rows }));
        return true;
      } catch (err) {
        const e = apiErrorOf(err);
        const field = normalizeFieldPath(e.field);
        set((s) => ({ saving: false, formError: errorText(err, 'O pedido não foi salvo'), errors: field ? { ...s.errors, [field]: e.message } : s.errors }));
        return false;
      }
    },
  };
};
