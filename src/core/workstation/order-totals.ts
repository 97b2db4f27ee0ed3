import type { EstablishmentDto } from '../../shared/api/admin';
import type { OrderDto, OrderTotals } from '../../shared/api/billing';
import { AppError } from '../errors';
import { buildNfe } from '../fiscal/build';
import { textToCents } from '../fiscal/money';
import type { NfeLayout } from '../fiscal/schema-validate';
import { toFiscalOrder, type OrderCatalog } from './fiscal-order';

const NONE = { tipo: 'nenhum', valor: '0' } as const;

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
    totalCentavos: 0,
    pendencias,
  };
  if (!emitente) {
    pendencias.push({ field: 'establishment', message: 'Cadastre o estabelecimento emitente em Administração.' });
    return empty;
  }
  const build = (o: OrderDto) => buildNfe(toFiscalOrder(o, catalog, emitente, { serie: 1, numero: 1, ambiente: 2 }), { layout, cNF: '10000000' });
  try {
    const full = build(order).model.infNFe.total.ICMSTot;
    const itemsOnly = build({ ...order, descontoEspecial: NONE, descontoPagador: NONE }).model.infNFe.total.ICMSTot;
    const noPagador = build({ ...order, descontoPagador: NONE }).model.infNFe.total.ICMSTot;
    const dItems = textToCents(itemsOnly.vDesc);
    const dEspecial = textToCents(noPagador.vDesc) - dItems;
    return {
      produtosCentavos: textToCents(full.vProd),
      descontoItensCentavos: dItems,
      descontoEspecialCentavos: dEspecial,
      descontoPagadorCentavos: textToCents(full.vDesc) - dItems - dEspecial,
      icmsMonoCentavos: textToCents(full.vICMSMonoRet ?? full.vICMSMono ?? '0'),
      totalCentavos: textToCents(full.vNF),
      pendencias,
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    pendencias.push({ field: err.field ?? '', message: err.message });
    return empty;
  }
}
