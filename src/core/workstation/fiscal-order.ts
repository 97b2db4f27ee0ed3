import type { CustomerDto, DiscountDto, ItemFiscalDto, NaturezaDto, OrderDto, OrderItemDto, ProductDto, TransportDto } from '../../shared/api/billing';
import type { EstablishmentDto } from '../../shared/api/admin';
import type { RespTecSetting } from '../fiscal/resp-tec';
import type { Discount, IcmsRule, Order, OrderEndereco, OrderItem, OrderProduto, OrderReferencia, OrderTransporte } from '../fiscal/order';
import { invalidInput } from '../errors';

export interface OrderCatalog {
  customer(id: string): CustomerDto | null;
  product(id: string): ProductDto | null;
  natureza(id: string): NaturezaDto | null;
}

function discount(d: DiscountDto | undefined): Discount | undefined {
  if (!d || d.tipo === 'nenhum' || !d.valor || /^0+([.,]0*)?$/.test(d.valor)) return undefined;
  const v = d.valor.replace(',', '.');
  if (d.tipo === 'valor') return { valor: v };
  if (d.tipo === 'percentual') return { percentual: v };
  return { porLitro: v };
}

/** A cadastro address as the fiscal core's. */
export function endereco(e: CustomerDto['endereco']): OrderEndereco {
  return {
    logradouro: e.logradouro,
    numero: e.numero,
    ...(e.complemento ? { complemento: e.complemento } : {}),
    bairro: e.bairro,
    codigoMunicipio: e.cMun,
    municipio: e.municipio,
    uf: e.uf,
    ...(e.cep ? { cep: e.cep } : {}),
  };
}

const onlyDigits = (s: string) => s.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
/** A decimal as the screen typed it ("1,5") → the order format's ("1.5"); empty → absent. */
const dec = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === '' ? undefined : v.trim().replace(',', '.'));
const placaOf = (p: string) => p.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The item's ICMS when it is not just the natureza's CST: another CST, a rate, ST charged or retained. */
function itemIcms(item: OrderItemDto, f: ItemFiscalDto | null | undefined, natureza: NaturezaDto): IcmsRule | undefined {
  const cst = item.cstICMS || natureza.cstICMS;
  const aliquota = dec(f?.aliquotaICMS);
  const reducaoBase = dec(f?.reducaoBaseICMS);
  const creditoSimples = dec(f?.creditoSimples);
  const st = f?.icmsSt;
  const ret = f?.icmsRetido;
  if (cst === natureza.cstICMS && !aliquota && !reducaoBase && !creditoSimples && !st && !ret) return undefined;
  return {
    cst,
    orig: '0',
    ...(aliquota ? { aliquota } : {}),
    ...(reducaoBase ? { reducaoBase } : {}),
    ...(creditoSimples ? { creditoSimples } : {}),
    ...(st
      ? {
          st: {
            modalidade: st.modalidade,
            aliquota: dec(st.aliquota) ?? '',
            ...(dec(st.mva) ? { mva: dec(st.mva)! } : {}),
            ...(dec(st.valorPorUnidade) ? { valorPorUnidade: dec(st.valorPorUnidade)! } : {}),
            ...(dec(st.reducaoBase) ? { reducaoBase: dec(st.reducaoBase)! } : {}),
            ...(dec(st.fcp) ? { fcp: dec(st.fcp)! } : {}),
          },
        }
      : {}),
    ...(ret
      ? {
          retido: {
            basePorUnidade: dec(ret.basePorUnidade) ?? '',
            aliquota: dec(ret.aliquota) ?? '',
            ...(dec(ret.icmsSubstitutoPorUnidade) ? { icmsSubstitutoPorUnidade: dec(ret.icmsSubstitutoPorUnidade)! } : {}),
            ...(dec(ret.fcp) ? { fcp: dec(ret.fcp)! } : {}),
          },
        }
      : {}),
  };
}

/** Fuel group data of this load (comb): CIDE, GLP shares, origin of the fuel. */
function combFields(f: ItemFiscalDto | null | undefined): Partial<OrderProduto> {
  if (!f) return {};
  return {
    ...(dec(f.cide) ? { cide: dec(f.cide)! } : {}),
    ...(f.glp ? { glp: { pGLP: dec(f.glp.pGLP) ?? '', pGNn: dec(f.glp.pGNn) ?? '', pGNi: dec(f.glp.pGNi) ?? '', vPart: dec(f.glp.vPart) ?? '' } } : {}),
    ...(f.origem?.length ? { origem: f.origem.map((o) => ({ importado: o.importado, uf: o.uf, percentual: dec(o.percentual) ?? '' })) } : {}),
    ...(f.cfop ? { cfop: { interna: f.cfop, interestadual: f.cfop, exterior: f.cfop } } : {}),
  };
}

/** Charges and qTemp of the item. */
function itemCharges(f: ItemFiscalDto | null | undefined): Partial<OrderItem> {
  if (!f) return {};
  return {
    ...(dec(f.frete) ? { frete: dec(f.frete)! } : {}),
    ...(dec(f.seguro) ? { seguro: dec(f.seguro)! } : {}),
    ...(dec(f.outrasDespesas) ? { outrasDespesas: dec(f.outrasDespesas)! } : {}),
    ...(dec(f.qTemp) ? { quantidadeTemperaturaAmbiente: dec(f.qTemp)! } : {}),
  };
}

function transporteOf(transp: TransportDto): OrderTransporte {
  const vol = transp.volume;
  const lacres = (vol?.lacres ?? []).map((l) => l.trim()).filter(Boolean);
  const hasVolume = !!vol && (lacres.length > 0 || !!vol.quantidade || !!vol.especie || !!dec(vol.pesoLiquido) || !!dec(vol.pesoBruto));
  return {
    modFrete: transp.modFrete,
    ...(transp.transportadorNome
      ? {
          transportador: {
            ...(transp.transportadorDocumento && onlyDigits(transp.transportadorDocumento).length === 11
              ? { cpf: onlyDigits(transp.transportadorDocumento) }
              : transp.transportadorDocumento
                ? { cnpj: onlyDigits(transp.transportadorDocumento) }
                : {}),
            nome: transp.transportadorNome,
          },
        }
      : {}),
    ...(transp.placa ? { veiculo: { placa: placaOf(transp.placa), ...(transp.ufPlaca ? { uf: transp.ufPlaca } : {}), ...(transp.rntc ? { rntc: transp.rntc } : {}) } } : {}),
    ...(transp.reboques?.length
      ? { reboques: transp.reboques.map((r) => ({ placa: placaOf(r.placa), ...(r.uf ? { uf: r.uf } : {}), ...(r.rntc ? { rntc: r.rntc } : {}) })) }
      : {}),
    ...(hasVolume
      ? {
          volumes: [
            {
              ...(vol!.quantidade ? { quantidade: Number(vol!.quantidade) } : {}),
              ...(vol!.especie ? { especie: vol!.especie } : {}),
              ...(dec(vol!.pesoLiquido) ? { pesoLiquido: dec(vol!.pesoLiquido)! } : {}),
              ...(dec(vol!.pesoBruto) ? { pesoBruto: dec(vol!.pesoBruto)! } : {}),
              ...(lacres.length ? { lacres } : {}),
            },
          ],
        }
      : {}),
  };
}

const REF_KEY = { '55': 'nfe', '65': 'nfce', '57': 'cte' } as const;

/** The establishment's responsável técnico as the builder takes it (infRespTec, hashCSRT). */
export function respTecOf(emitente: EstablishmentDto): RespTecSetting | null {
  const r = emitente.respTec;
  if (!r) return null;
  return { cnpj: r.cnpj, contato: r.contato, email: r.email, fone: r.fone, csrt: r.idCSRT && r.csrt ? { id: r.idCSRT, token: r.csrt } : null };
}

/** The establishment as the fiscal core's emitente (NF-e and CT-e share it). */
export function emitenteOf(emitente: EstablishmentDto): Order['emitente'] {
  return {
    cnpj: onlyDigits(emitente.cnpj),
    razaoSocial: emitente.razaoSocial,
    ...(emitente.nomeFantasia ? { nomeFantasia: emitente.nomeFantasia } : {}),
    ie: emitente.ie,
    crt: emitente.crt,
    endereco: {
      logradouro: emitente.endereco.logradouro,
      numero: emitente.endereco.numero,
      bairro: emitente.endereco.bairro,
      codigoMunicipio: emitente.endereco.cMun,
      municipio: emitente.endereco.municipio,
      uf: emitente.endereco.uf,
      cep: emitente.endereco.cep,
      ...(emitente.endereco.fone ? { telefone: emitente.endereco.fone } : {}),
    },
  };
}

/**
 * The screen's order (ids into the shared catalog) → the fiscal core's self-contained
 * order. Everything the NF-e needs is copied in, so the signed document never depends on a
 * catalog record edited afterwards.
 */
export function toFiscalOrder(
  order: OrderDto,
  catalog: OrderCatalog,
  emitente: EstablishmentDto,
  numbering: { serie: number; numero: number; ambiente: 1 | 2; emissao?: string },
): Order {
  const customer = catalog.customer(order.customerId);
  if (!customer) throw invalidInput('Selecione o cliente do pedido.', 'customerId');
  const natureza = catalog.natureza(order.naturezaId);
  if (!natureza) throw invalidInput('Selecione a natureza da operação.', 'naturezaId');
  if (order.items.length === 0) throw invalidInput('O pedido não tem itens.', 'items');

  const doc = onlyDigits(customer.documento);
  const referencias: OrderReferencia[] = (order.referencias ?? []).map((r) => ({ [REF_KEY[r.modelo] ?? 'nfe']: onlyDigits(r.chave) }));
  return {
    ...(order.tipo && order.tipo !== 'saida' ? { tipo: order.tipo } : {}),
    ...(order.finalidade && order.finalidade !== 1 ? { finalidade: order.finalidade } : {}),
    ...(referencias.length ? { referencias } : {}),
    serie: numbering.serie,
    numero: numbering.numero,
    ambiente: numbering.ambiente,
    ...(numbering.emissao ? { emissao: numbering.emissao } : {}),
    consumidorFinal: customer.indIEDest === 9,
    emitente: emitenteOf(emitente),
    destinatario: {
      ...(doc.length === 11 ? { cpf: doc } : { cnpj: doc }),
      razaoSocial: customer.nome,
      ...(customer.ie ? { ie: customer.ie } : {}),
      indIEDest: customer.indIEDest,
      endereco: endereco(customer.endereco),
      ...(customer.email ? { email: customer.email } : {}),
    },
    natureza: {
      descricao: natureza.descricao,
      cfop: { interna: natureza.cfopInterna, interestadual: natureza.cfopInterestadual },
      icms: { cst: natureza.cstICMS, orig: '0' },
      pis: { cst: natureza.cstPIS },
      cofins: { cst: natureza.cstCOFINS },
      ...(natureza.infAdFisco ? { infAdFisco: natureza.infAdFisco } : {}),
      ...(natureza.infCpl ? { infCpl: natureza.infCpl } : {}),
    },
    itens: order.items.map((item, i) => {
      const p = catalog.product(item.productId);
      if (!p) throw invalidInput(`Item ${i + 1}: produto não encontrado.`, `items[${i}].productId`);
      const adRem = item.adRemICMS ?? p.adRemICMS;
      const d = discount(item.desconto);
      const icms = itemIcms(item, item.fiscal, natureza);
      return {
        produto: {
          codigo: p.codigo,
          descricao: p.descricao,
          ncm: p.ncm,
          ...(p.cest ? { cest: p.cest } : {}),
          unidade: p.unidade,
          // Without descANP the ANP table gives it (the description must match the table).
          ...(p.cProdANP ? { anp: { codigo: p.cProdANP, ...(p.descANP ? { descricao: p.descANP } : {}) } } : {}),
          ...(p.pBio ? { pBio: p.pBio } : {}),
          ...(icms ? { icms } : {}),
          ...(adRem ? { adRemIcms: adRem, adRemIcmsReten: adRem } : {}),
          ...combFields(item.fiscal),
        },
        quantidade: item.quantidade.replace(',', '.'),
        valorUnitario: item.precoUnitario.replace(',', '.'),
        ...(d ? { desconto: d } : {}),
        ...itemCharges(item.fiscal),
      };
    }),
    ...(discount(order.descontoEspecial) ? { descontoEspecial: discount(order.descontoEspecial)! } : {}),
    ...(discount(order.descontoPagador) ? { descontoPagador: discount(order.descontoPagador)! } : {}),
    transporte: transporteOf(order.transporte),
    ...(dec(order.frete) ? { frete: dec(order.frete)! } : {}),
    ...(dec(order.seguro) ? { seguro: dec(order.seguro)! } : {}),
    ...(dec(order.outrasDespesas) ? { outrasDespesas: dec(order.outrasDespesas)! } : {}),
    ...(order.pedidoCliente?.trim() ? { compra: { pedido: order.pedidoCliente.trim() } } : {}),
    pagamentos: [{ tPag: order.tPag }],
    ...(order.observacoes ? { observacoes: order.observacoes } : {}),
  };
}
