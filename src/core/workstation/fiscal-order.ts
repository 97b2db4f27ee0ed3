import type { CustomerDto, DiscountDto, NaturezaDto, OrderDto, ProductDto } from '../../shared/api/billing';
import type { EstablishmentDto } from '../../shared/api/admin';
import type { Discount, Order, OrderEndereco } from '../fiscal/order';
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
  const transp = order.transporte;
  return {
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
      return {
        produto: {
          codigo: p.codigo,
          descricao: p.descricao,
          ncm: p.ncm,
          ...(p.cest ? { cest: p.cest } : {}),
          unidade: p.unidade,
          ...(p.cProdANP && p.descANP ? { anp: { codigo: p.cProdANP, descricao: p.descANP } } : {}),
          ...(p.pBio ? { pBio: p.pBio } : {}),
          ...(item.cstICMS && item.cstICMS !== natureza.cstICMS ? { icms: { cst: item.cstICMS, orig: '0' } } : {}),
          ...(adRem ? { adRemIcms: adRem, adRemIcmsReten: adRem } : {}),
        },
        quantidade: item.quantidade.replace(',', '.'),
        valorUnitario: item.precoUnitario.replace(',', '.'),
        ...(d ? { desconto: d } : {}),
      };
    }),
    ...(discount(order.descontoEspecial) ? { descontoEspecial: discount(order.descontoEspecial)! } : {}),
    ...(discount(order.descontoPagador) ? { descontoPagador: discount(order.descontoPagador)! } : {}),
    transporte: {
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
      ...(transp.placa ? { veiculo: { placa: transp.placa.toUpperCase().replace(/[^A-Z0-9]/g, ''), ...(transp.ufPlaca ? { uf: transp.ufPlaca } : {}) } } : {}),
    },
    pagamentos: [{ tPag: order.tPag }],
    ...(order.observacoes ? { observacoes: order.observacoes } : {}),
  };
}
