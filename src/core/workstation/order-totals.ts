import type { EstablishmentDto } from '../../shared/api/admin';
import type { OrderDto, OrderTotals } from '../../shared/api/billing';
import { AppError } from '../errors';
import { buildNfe } from '../fiscal/build';
import { textToCents } from '../fiscal/money';
import type { NfeLayout } from '../fiscal/schema-validate';
import { toFiscalOrder, type OrderCatalog } from './fiscal-order';

const NONE = { tipo: 'nenhum', valor: '0' } as const;

type Build = (o: OrderDto) => ReturnType<typeof buildNfe>;

/**
 * Totals exactly as the NF-e will carry them: the fiscal builder computes them (one rounding
 * rule for the screen and the document). The three discounts are told apart by building
 * with the later ones switched off.
 */
export function orderTotals(order: OrderDto, catalog: OrderCatalog, emitente: EstablishmentDto | null, layout: NfeLayout): OrderTotals {
  const pendencias: OrderTotals['pendencias'] = [];
  const empty: OrderTotals = {
    produtosCentavos: 0,
    descontoItensCentavos: 0,
    descontoEspecialCentavos: 0,
    descontoPagadorCentavos: 0,
    icmsMonoCentavos: 0,
    icmsStCentavos: 0,
    encargosCentavos: 0,
    totalCentavos: 0,
    itemLiquidoCentavos: [],
    pendencias,
  };
  if (!emitente) {
    pendencias.push({ field: 'establishment', message: 'Cadastre o estabelecimento emitente em Administração.' });
    return empty;
  }
  const build: Build = (o) => buildNfe(toFiscalOrder(o, catalog, emitente, { serie: 1, numero: 1, ambiente: 2 }), { layout, cNF: '10000000' });
  try {
    return computed(order, build, pendencias);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    pendencias.push({ field: err.field ?? '', message: err.message });
    // Transport never changes a value on the note: a missing or wrong transporter is a
    // pendência, but the faturista sees the totals while still filling the rest.
    if (err.field?.startsWith('transporte')) {
      try {
        // The emitente stands in as carrier only for this computation; nothing is saved.
        const standIn = { modFrete: 0 as const, transportadorNome: emitente.razaoSocial, transportadorDocumento: emitente.cnpj, placa: null, ufPlaca: null };
        return computed({ ...order, transporte: standIn }, build, pendencias);
      } catch (again) {
        if (!(again instanceof AppError)) throw again;
      }
    }
    return empty;
  }
}

function computed(order: OrderDto, build: Build, pendencias: OrderTotals['pendencias']): OrderTotals {
  const built = build(order);
  const full = built.model.infNFe.total.ICMSTot;
  const itemsOnlyNfe = build({ ...order, descontoEspecial: NONE, descontoPagador: NONE }).model.infNFe;
  const itemsOnly = itemsOnlyNfe.total.ICMSTot;
  const noPagador = build({ ...order, descontoPagador: NONE }).model.infNFe.total.ICMSTot;
  const dItems = textToCents(itemsOnly.vDesc);
  const dEspecial = textToCents(noPagador.vDesc) - dItems;
  return {
    produtosCentavos: textToCents(full.vProd),
    descontoItensCentavos: dItems,
    descontoEspecialCentavos: dEspecial,
    descontoPagadorCentavos: textToCents(full.vDesc) - dItems - dEspecial,
    icmsMonoCentavos: textToCents(full.vICMSMonoRet ?? full.vICMSMono ?? '0'),
    icmsStCentavos: textToCents(full.vST) + textToCents(full.vFCPST),
    encargosCentavos: textToCents(full.vFrete) + textToCents(full.vSeg) + textToCents(full.vOutro),
    totalCentavos: textToCents(full.vNF),
    // Each item after its own discount (the order-level discounts are shown in Totais).
    itemLiquidoCentavos: itemsOnlyNfe.det.map((d) => textToCents(d.prod.vProd) - textToCents(d.prod.vDesc ?? '0')),
    pendencias,
    avisos: built.notices,
  };
}
