import { orderError } from './errors';
import { centsToText, fixed, parseDecimal, toCents, D } from './money';
import type { RetTransp, Transp, Veiculo } from './model';
import type { Order, OrderVeiculo } from './order';
import { orderFieldLabel } from './order-labels';
import { ieField, partyDoc, ufField } from './parties';
import { ruleError } from './rules';
import type { NfeLayout } from './schema-validate';
import { digitsField, optionalText, requiredText, UF_CODES } from './text';

export const MAX_REBOQUES = 5;

function veiculo(v: OrderVeiculo, field: string): Veiculo {
  const placa = String(v?.placa ?? '').replace(/[-\s]/g, '').toUpperCase();
  if (!/^([A-Z]{2,3}\d{4}|[A-Z]{3,4}\d{3}|[A-Z0-9]{7})$/.test(placa)) throw orderError(`${field}.placa`, `${orderFieldLabel(`${field}.placa`)} inválida: "${String(v?.placa ?? '')}" (ex.: ABC1D23 ou ABC1234).`);
  return {
    placa,
    UF: v.uf === undefined ? undefined : ufField(v.uf, `${field}.uf`),
    RNTC: optionalText(v.rntc, `${field}.rntc`, { max: 20 }),
  };
}

function retTransp(r: NonNullable<Order['transporte']['retencaoIcms']>): RetTransp {
  const f = 'transporte.retencaoIcms';
  const vServ = toCents(parseDecimal(r.valorServico, `${f}.valorServico`, { maxDecimals: 2 }));
  const vBC = r.baseCalculo === undefined ? vServ : toCents(parseDecimal(r.baseCalculo, `${f}.baseCalculo`, { maxDecimals: 2, sign: 'nonNegative' }));
  const p = parseDecimal(r.aliquota, `${f}.aliquota`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
  const cfop = digitsField(r.cfop, `${f}.cfop`, /^(5351|5352|5353|5354|5355|5356|5357|5359|5360|5931|5932|6351|6352|6353|6354|6355|6356|6357|6359|6360|6931|6932|7358)$/, 'CFOP do serviço de transporte');
  const cMunFG = digitsField(r.codigoMunicipio, `${f}.codigoMunicipio`, /^\d{7}$/, 'Código IBGE do município do fato gerador');
  if (!Object.values(UF_CODES).includes(cMunFG.slice(0, 2))) throw orderError(`${f}.codigoMunicipio`, `Município da retenção do ICMS do frete inválido: ${cMunFG}.`);
  return {
    vServ: centsToText(vServ),
    vBCRet: centsToText(vBC),
    pICMSRet: fixed(p, 4),
    vICMSRet: centsToText(toCents(new D(vBC).mul(p).div(10000))),
    CFOP: cfop,
    cMunFG,
  };
}

export interface TranspResult {
  transp: Transp;
  /** Vehicles left out of an interstate NF-e (868), kept for infCpl so the plate is not lost. */
  omittedVehicles?: string;
}

/**
 * transp: transportador (with the rules SEFAZ adds: 362 for fuel sales, 559 IE without UF),
 * vehicle and up to five trailers (left out on interstate operations, 868), volumes with
 * their seals, and ICMS withheld on the freight.
 */
export function buildTransp(order: Order, hasFuel: boolean, idDest: string, layout: NfeLayout): TranspResult {
  const t = order.transporte;
  if (!t || ![0, 1, 2, 3, 4, 9].includes(Number(t.modFrete))) throw orderError('transporte.modFrete', 'Informe a modalidade do frete (0, 1, 2, 3, 4 ou 9).');
  const tr = t.transportador;
  const fuelSale = hasFuel && (order.tipo ?? 'saida') === 'saida' && (order.finalidade ?? 1) === 1;
  if (fuelSale && !tr) throw ruleError('362', 'transporte.transportador', 'Venda de combustível exige o transportador (CNPJ ou CPF, nome)');
  const transp: Transp = { modFrete: String(t.modFrete) };
  if (tr) {
    if (fuelSale && tr.cnpj === undefined && tr.cpf === undefined) {
      throw ruleError('362', 'transporte.transportador.cnpj', 'Venda de combustível: informe o CNPJ ou o CPF do transportador');
    }
    const uf = tr.uf === undefined ? undefined : ufField(tr.uf, 'transporte.transportador.uf');
    let ie: string | undefined;
    if (tr.ie !== undefined && String(tr.ie).trim() !== '') {
      if (String(tr.ie).trim().toUpperCase() === 'ISENTO') ie = 'ISENTO';
      else if (!uf) throw ruleError('559', 'transporte.transportador.uf', `Informe a UF do transportador: a inscrição estadual "${tr.ie}" só vale com a UF`);
      else ie = ieField(String(tr.ie), uf, 'transporte.transportador.ie');
    }
    transp.transporta = {
      ...(tr.cnpj !== undefined || tr.cpf !== undefined ? partyDoc(tr, 'transporte.transportador', layout) : {}),
      xNome: requiredText(tr.nome, 'transporte.transportador.nome', { min: 2, max: 60 }),
      IE: ie,
      xEnder: optionalText(tr.endereco, 'transporte.transportador.endereco', { max: 60 }),
      xMun: optionalText(tr.municipio, 'transporte.transportador.municipio', { min: 2, max: 60 }),
      UF: uf,
    };
  }
  if (t.retencaoIcms) transp.retTransp = retTransp(t.retencaoIcms);
  const vehicle = t.veiculo ? veiculo(t.veiculo, 'transporte.veiculo') : undefined;
  const reboques = t.reboques ?? [];
  if (!Array.isArray(reboques) || reboques.length > MAX_REBOQUES) throw orderError('transporte.reboques', `Informe no máximo ${MAX_REBOQUES} reboques.`);
  const trailers = reboques.map((r, i) => veiculo(r, `transporte.reboques[${i}]`));
  let omittedVehicles: string | undefined;
  if (idDest === '2') {
    // NT 2016.002: veicTransp and reboque must not be informed on interstate operations (868).
    // The plates still matter to the buyer and the road inspection: they go to infCpl.
    const plates = [vehicle, ...trailers].filter((v): v is Veiculo => v !== undefined).map((v) => `${v.placa}${v.UF ? `/${v.UF}` : ''}`);
    if (plates.length) omittedVehicles = `Veiculo: ${plates[0]}${plates.length > 1 ? `; reboques: ${plates.slice(1).join(', ')}` : ''}.`;
  } else {
    transp.veicTransp = vehicle;
    if (trailers.length) transp.reboque = trailers;
  }
  if (t.volumes?.length) {
    transp.vol = t.volumes.map((v, i) => {
      const f = `transporte.volumes[${i}]`;
      if (v.lacres !== undefined && !Array.isArray(v.lacres)) throw orderError(`${f}.lacres`, 'Lacres devem ser uma lista de números.');
      const lacres = (v.lacres ?? []).map((l, j) => ({ nLacre: requiredText(l, `${f}.lacres[${j}]`, { max: 60 }) }));
      return {
        qVol: v.quantidade === undefined ? undefined : digitsField(v.quantidade, `${f}.quantidade`, /^\d{1,15}$/, 'Quantidade de volumes'),
        esp: optionalText(v.especie, `${f}.especie`, { max: 60 }),
        marca: optionalText(v.marca, `${f}.marca`, { max: 60 }),
        nVol: optionalText(v.numeracao, `${f}.numeracao`, { max: 60 }),
        pesoL: v.pesoLiquido === undefined ? undefined : fixed(parseDecimal(v.pesoLiquido, `${f}.pesoLiquido`, { maxDecimals: 3, sign: 'nonNegative' }), 3),
        pesoB: v.pesoBruto === undefined ? undefined : fixed(parseDecimal(v.pesoBruto, `${f}.pesoBruto`, { maxDecimals: 3, sign: 'nonNegative' }), 3),
        lacres: lacres.length ? lacres : undefined,
      };
    });
  }
  return { transp, ...(omittedVehicles ? { omittedVehicles } : {}) };
}
