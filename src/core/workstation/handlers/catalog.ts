import type { BillingMethods, CustomerDto, NaturezaDto, OrderDto, OrderItemDto, OrderSummary, ProductDto, TaxDefaultsFiscal } from '../../../shared/api/billing';
import type { EstablishmentDto } from '../../../shared/api/admin';
import { ErrorCodes } from '../../../shared/errors';
import { AppError, invalidInput } from '../../errors';
import { isValidCnpj, isValidCpf, isValidIe } from '../../fiscal/documents';
import type { NfeLayout } from '../../fiscal/schema-validate';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { OrderCatalog } from '../fiscal-order';
import { orderTotals } from '../order-totals';
import { checkOrderFiscal } from '../order-input';
import { newId } from '../../../shared/ids';
import { parseSearch } from '../../records/params';
import type { RecordsSearchParams } from '../../records/protocol';
import type { RecordLists } from '../record-lists';
import type { OrderNumberer } from '../order-numbers';

type CatalogMethods = Pick<
  BillingMethods,
  'customers.search' | 'customers.get' | 'customers.save' | 'products.list' | 'naturezas.list' | 'orders.list' | 'orders.page' | 'orders.get' | 'orders.new' | 'orders.save' | 'orders.totals' | 'orders.taxDefaults' | 'orders.delete' | 'orders.copy' | 'orders.returnOf'
>;

interface TaxHistory {
  cstICMS: string | null;
  adRemICMS: string | null;
  /** ST, rates, CFOP and fuel data of the item (absent in entries written before them). */
  fiscal?: TaxDefaultsFiscal | null;
  at: string;
}

/** What the next order of this product for the same customer/UF starts with; the load's own values (charges, qTemp) are not carried. */
function taxDefaultsOf(it: OrderItemDto): TaxDefaultsFiscal | null {
  const f = it.fiscal;
  if (!f) return null;
  const d: TaxDefaultsFiscal = { aliquotaICMS: f.aliquotaICMS, reducaoBaseICMS: f.reducaoBaseICMS ?? null, creditoSimples: f.creditoSimples ?? null, icmsSt: f.icmsSt, icmsRetido: f.icmsRetido, cfop: f.cfop, cide: f.cide, glp: f.glp, origem: f.origem ?? [] };
  return d.aliquotaICMS || d.reducaoBaseICMS || d.creditoSimples || d.icmsSt || d.icmsRetido || d.cfop || d.cide || d.glp || d.origem.length ? d : null;
}

export function catalogOf(w: WorkstationContext): OrderCatalog {
  return {
    customer: (id) => w.records.get<CustomerDto>('customers', id),
    product: (id) => w.records.get<ProductDto>('products', id),
    natureza: (id) => w.records.get<NaturezaDto>('naturezas', id),
  };
}

export function establishmentOf(w: WorkstationContext): EstablishmentDto | null {
  return w.records.get<EstablishmentDto>('establishment', 'main');
}

export function layoutOf(w: WorkstationContext): NfeLayout {
  return w.settings.get<NfeLayout>('sefaz.layout', 'PL_010_V1.30');
}

const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const DEC4 = /^\d{1,11}([.,]\d{1,4})?$/;
const DEC10 = /^\d{1,11}([.,]\d{1,10})?$/;

function today(w: WorkstationContext): string {
  const d = w.clock.now();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}


/** Input schema of orders.page (and orders.list): the screen's filter → a search of orders. */
function ordersQuery(w: WorkstationContext, params: unknown): RecordsSearchParams {
  const o = (params ?? {}) as { filter?: unknown };
  const filter = o.filter ?? 'hoje';
  if (filter !== 'hoje' && filter !== 'pendentes' && filter !== 'faturados' && filter !== 'todos') throw invalidInput('Filtro de pedidos inválido: hoje, pendentes, faturados ou todos.', 'filter');
  const { filter: _f, ...rest } = params as Record<string, unknown>;
  const p = parseSearch(rest, 'orders');
  if (filter === 'hoje') p.from = p.to = today(w);
  if (filter === 'pendentes') p.status = 'pendentes';
  if (filter === 'faturados') p.status = 'faturado';
  return p;
}

/** Checks and stores a customer (Cadastros › Clientes and the order's "novo cliente"). */
export function saveCustomer(w: WorkstationContext, c: CustomerDto, login: string): CustomerDto {
  if (!c || typeof c !== 'object') throw invalidInput('Cliente inválido.', 'id');
  const doc = String(c.documento ?? '').replace(/[.\-/\s]/g, '').toUpperCase();
  if (doc.length === 11 ? !isValidCpf(doc) : !isValidCnpj(doc)) throw invalidInput('CNPJ ou CPF do cliente inválido (confira os dígitos verificadores).', 'documento');
  if (!String(c.nome ?? '').trim()) throw invalidInput('Informe o nome ou razão social do cliente.', 'nome');
  if (String(c.nome).length > 60) throw invalidInput(`O nome do cliente tem ${String(c.nome).length} caracteres; o máximo é 60.`, 'nome');
  if (![1, 2, 9].includes(c.indIEDest)) throw invalidInput('Indicador de IE do cliente inválido (1 contribuinte, 2 isento, 9 não contribuinte).', 'indIEDest');
  if (c.indIEDest === 1 && (!c.ie || !isValidIe(c.ie, c.endereco?.uf ?? ''))) {
    // #22 item 28: say whose IE it is.
    throw invalidInput(`Inscrição estadual do cliente inválida para ${c.endereco?.uf || 'a UF informada'}.`, 'ie');
  }
  if (!/^\d{7}$/.test(c.endereco?.cMun ?? '')) throw invalidInput('Código IBGE do município do cliente deve ter 7 dígitos.', 'endereco.cMun');
  if (c.freteHabitual && ![0, 1, 2, 3, 4, 9].includes(c.freteHabitual.modFrete)) throw invalidInput('Modalidade do frete habitual inválida.', 'freteHabitual.modFrete');
  const id = c.id || newId();
  w.records.put<CustomerDto>('customers', id, { ...c, id, documento: doc, nome: c.nome.trim() });
  w.audit(login, 'customers.save', `Cliente ${doc} ${c.nome.trim()} salvo`);
  return w.records.get<CustomerDto>('customers', id)!;
}

/** Input schema of the methods that name one order. */
function orderRef(params: unknown): string {
  const id = (params as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || !id || id.length > 100) throw invalidInput('Pedido inválido.', 'id');
  return id;
}

/** Shape checks that do not need the fiscal builder; field paths match the editor's inputs. */
function checkOrder(o: OrderDto): void {
  if (!o || typeof o !== 'object' || typeof o.id !== 'string' || !o.id) throw invalidInput('Pedido inválido.', 'id');
  if (!Array.isArray(o.items)) throw invalidInput('Pedido sem lista de itens.', 'items');
  if (o.items.length > 990) throw invalidInput('Uma NF-e aceita no máximo 990 itens.', 'items');
  o.items.forEach((it: OrderItemDto, i) => {
    if (!DEC4.test(String(it.quantidade ?? ''))) throw invalidInput(`Item ${i + 1}: quantidade inválida (até 4 casas decimais).`, `items[${i}].quantidade`);
    if (!DEC10.test(String(it.precoUnitario ?? ''))) throw invalidInput(`Item ${i + 1}: preço unitário inválido.`, `items[${i}].precoUnitario`);
  });
  checkOrderFiscal(o);
}

export function catalogHandlers(w: WorkstationContext, numberer: OrderNumberer, lists: RecordLists): DomainHandlers<CatalogMethods> {
  const catalog = catalogOf(w);
  const summary = (o: OrderDto): OrderSummary => {
    const c = catalog.customer(o.customerId);
    const doc = o.documentId ? w.records.get<{ number: number; totalCentavos: number }>('documents', o.documentId) : null;
    return {
      id: o.id,
      numeroPedido: o.numeroPedido,
      cliente: c?.nome ?? '(cliente não selecionado)',
      totalCentavos: doc?.totalCentavos ?? orderTotals(o, catalog, establishmentOf(w), layoutOf(w)).totalCentavos,
      status: o.status,
      numeroNota: doc?.number ?? null,
      updatedAt: o.updatedAt,
    };
  };

  /** A fresh draft; not stored (nor numbered: orders.save numbers it) until the faturista saves it. */
  const newOrder = (): OrderDto => {
    const now = w.clock.now();
      const firstNatureza = w.records.list<NaturezaDto>('naturezas')[0];
      return {
        id: newId(),
        numeroPedido: '',
        customerId: '',
        naturezaId: firstNatureza?.id ?? '',
        items: [],
        descontoEspecial: { tipo: 'nenhum', valor: '0' },
        descontoPagador: { tipo: 'nenhum', valor: '0' },
        transporte: { modFrete: 0, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null },
        tPag: '15',
        observacoes: '',
        status: 'rascunho',
        documentId: null,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
    };

  return {
    'customers.search': (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      const q = norm(String(params?.q ?? '').trim());
      const digits = q.replace(/[^0-9a-z]/g, '');
      return w.records
        .list<CustomerDto>('customers')
        .filter((c) => !q || norm(c.nome).includes(q) || (digits.length >= 3 && c.documento.toLowerCase().includes(digits)))
        .sort((a, b) => a.nome.localeCompare(b.nome))
        .slice(0, 50);
    },
    'customers.get': (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      const c = catalog.customer(String(params?.id ?? ''));
      if (!c) throw new AppError(ErrorCodes.NOT_FOUND, 'Cliente não encontrado.');
      return c;
    },
    'customers.save': (c, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      return saveCustomer(w, c, me.user.login);
    },
    'products.list': (_p, ctx) => {
      w.sessions.require(ctx);
      return w.records.list<ProductDto>('products').sort((a, b) => a.descricao.localeCompare(b.descricao));
    },
    'naturezas.list': (_p, ctx) => {
      w.sessions.require(ctx);
      return w.records.list<NaturezaDto>('naturezas').sort((a, b) => a.descricao.localeCompare(b.descricao));
    },
    // The first page of the same query (at most 200): callers that want more page with orders.page.
    'orders.list': async (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      return (await lists.orders(ordersQuery(w, { filter: params?.filter ?? 'hoje', ...(params?.q ? { q: params.q } : {}), limit: 200 }), summary)).rows;
    },
    'orders.page': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      return lists.orders(ordersQuery(w, params), summary);
    },
    'orders.get': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const o = w.records.get<OrderDto>('orders', String(params?.id ?? ''));
      if (!o) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
      return o;
    },
    'orders.new': (_p, ctx) => {
      w.sessions.require(ctx, 'faturista');
      return newOrder();
    },
    'orders.delete': (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const o = w.records.get<OrderDto>('orders', orderRef(params));
      if (!o) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
      if (o.status !== 'rascunho') throw new AppError('ORDER_NOT_DRAFT', 'Só um pedido em rascunho pode ser excluído; este já está em faturamento ou faturado.');
      w.records.remove('orders', o.id);
      w.audit(me.user.login, 'orders.delete', `Pedido ${o.numeroPedido} (rascunho) excluído`, o.id);
      w.events.emit('orders.changed', { ids: [o.id] });
      return null;
    },
    'orders.copy': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const src = w.records.get<OrderDto>('orders', orderRef(params));
      if (!src) throw new AppError(ErrorCodes.NOT_FOUND, 'Pedido não encontrado.');
      const fresh = newOrder();
      // Prices and tax fields come along as they were; the faturista reviews them before saving.
      return {
        ...fresh,
        customerId: src.customerId,
        naturezaId: src.naturezaId,
        items: src.items.map((it) => ({ ...it, desconto: { ...it.desconto } })),
        descontoEspecial: { ...src.descontoEspecial },
        descontoPagador: { ...src.descontoPagador },
        transporte: { ...src.transporte },
        tPag: src.tPag,
        observacoes: src.observacoes,
        // A copy is a new sale: not the original's references, finalidade or seals.
        ...(src.frete ? { frete: src.frete } : {}),
        ...(src.seguro ? { seguro: src.seguro } : {}),
        ...(src.outrasDespesas ? { outrasDespesas: src.outrasDespesas } : {}),
        ...(src.transporte.volume ? { transporte: { ...src.transporte, volume: { ...src.transporte.volume, lacres: [] } } } : {}),
      };
    },
    'orders.returnOf': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const id = String(params?.documentId ?? '');
      if (!id || id.length > 100) throw invalidInput('Nota inválida.', 'documentId');
      const doc = w.records.get<{ chave: string; number: number; model: number; status: string; orderId: string | null }>('documents', id);
      if (!doc) throw new AppError(ErrorCodes.NOT_FOUND, 'Nota não encontrada.');
      if (doc.model !== 55 || doc.status !== 'autorizada') throw new AppError(ErrorCodes.CONFLICT, 'Só uma NF-e autorizada pode ser devolvida.');
      const src = doc.orderId ? w.records.get<OrderDto>('orders', doc.orderId) : null;
      if (!src) throw new AppError(ErrorCodes.CONFLICT, 'Esta nota não veio de um pedido do Comboio (foi importada): emita a devolução pela linha de comando, comboio nfe devolucao --from NOTA.xml.');
      const natureza = w.records.list<NaturezaDto>('naturezas').find((n) => n.finalidade === 4);
      if (!natureza) throw new AppError(ErrorCodes.CONFLICT, 'Cadastre uma natureza de operação de devolução (finalidade 4) antes de devolver uma nota.');
      return {
        ...newOrder(),
        customerId: src.customerId,
        naturezaId: natureza.id,
        tipo: natureza.tipo ?? 'entrada',
        finalidade: 4,
        referencias: [{ modelo: '55', chave: doc.chave }],
        // The items as sold; the faturista lowers the quantities of a partial return. A sale
        // CFOP of an item and the sale's charges do not apply to the return.
        // A return repeats the sale's taxation: each item keeps the CST it was sold under.
        items: src.items.map((it) => ({
          ...it,
          cstICMS: it.cstICMS ?? catalog.natureza(src.naturezaId)?.cstICMS ?? null,
          desconto: { ...it.desconto },
          ...(it.fiscal ? { fiscal: { ...it.fiscal, cfop: null, frete: null, seguro: null, outrasDespesas: null } } : {}),
        })),
        descontoEspecial: { ...src.descontoEspecial },
        descontoPagador: { ...src.descontoPagador },
        transporte: { modFrete: natureza.modFrete ?? 9, transportadorDocumento: null, transportadorNome: null, placa: null, ufPlaca: null },
        tPag: '90',
        observacoes: `Devolução referente à NF-e nº ${doc.number}.`,
      };
    },
    'orders.save': async (order, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      checkOrder(order);
      let current = w.records.get<OrderDto>('orders', order.id);
      if (current && current.status !== 'rascunho') {
        throw new AppError(ErrorCodes.CONFLICT, `Este pedido já está ${current.status === 'faturado' ? 'faturado' : 'em faturamento'} e não pode ser alterado.`);
      }
      // The number is the station's, never the caller's: the first save gives it (#22 item 10).
      let numeroPedido = current?.numeroPedido ?? '';
      if (!numeroPedido) {
        numeroPedido = await numberer.next(establishmentOf(w)?.cnpj ?? '00000000000000');
        // Two saves of one new order racing (autosave + Salvar): the first number stays.
        current = w.records.get<OrderDto>('orders', order.id);
        numeroPedido = current?.numeroPedido || numeroPedido;
      }
      const now = w.clock.now().toISOString();
      const saved: OrderDto = { ...order, numeroPedido, status: 'rascunho', documentId: null, createdAt: current?.createdAt ?? order.createdAt ?? now, updatedAt: now };
      w.records.put<OrderDto>('orders', order.id, saved);
      // Remember each product's tax fields for this customer and for the customer's UF.
      const customer = catalog.customer(order.customerId);
      for (const it of order.items) {
        const fiscal = taxDefaultsOf(it);
        if (!it.cstICMS && !it.adRemICMS && !fiscal) continue;
        const h: TaxHistory = { cstICMS: it.cstICMS, adRemICMS: it.adRemICMS, fiscal, at: now };
        w.records.put<TaxHistory>('tax-history', `${it.productId}|cli:${order.customerId}`, h);
        if (customer) w.records.put<TaxHistory>('tax-history', `${it.productId}|uf:${customer.endereco.uf}`, h);
      }
      w.events.emit('orders.changed', { ids: [order.id] });
      void me;
      return { order: saved, totals: orderTotals(saved, catalog, establishmentOf(w), layoutOf(w)) };
    },
    'orders.totals': (order, ctx) => {
      w.sessions.require(ctx, 'faturista');
      checkOrder(order);
      return orderTotals(order, catalog, establishmentOf(w), layoutOf(w));
    },
    'orders.taxDefaults': (params, ctx) => {
      w.sessions.require(ctx, 'faturista');
      const byCustomer = w.records.get<TaxHistory>('tax-history', `${params.productId}|cli:${params.customerId}`);
      if (byCustomer) return { cstICMS: byCustomer.cstICMS, adRemICMS: byCustomer.adRemICMS, fiscal: byCustomer.fiscal ?? null, source: 'cliente' as const };
      const uf = catalog.customer(params.customerId)?.endereco.uf;
      const byUf = uf ? w.records.get<TaxHistory>('tax-history', `${params.productId}|uf:${uf}`) : null;
      if (byUf) return { cstICMS: byUf.cstICMS, adRemICMS: byUf.adRemICMS, fiscal: byUf.fiscal ?? null, source: 'uf' as const };
      // No note yet for this customer or UF: the product's own tax data for the UF (Cadastros › Produtos).
      const byProduct = uf ? w.records.get<ProductDto & { tributacaoUf?: Record<string, { cstICMS: string | null; adRemICMS: string | null }> }>('products', params.productId)?.tributacaoUf?.[uf] : undefined;
      return byProduct ? { cstICMS: byProduct.cstICMS, adRemICMS: byProduct.adRemICMS, fiscal: null, source: 'produto' as const } : null;
    },
  };
}
