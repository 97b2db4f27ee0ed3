/**
 * The order's field paths ("itens[0].quantidade", "transporte.transportador") named as the
 * order screen and the order-format table call them, for messages a person reads. The path
 * itself stays in the error's `field` for code.
 */
const PARTIES: Record<string, string> = {
  emitente: 'do emitente',
  destinatario: 'do destinatário',
  'transporte.transportador': 'do transportador',
};

const LEAVES: Record<string, string> = {
  razaoSocial: 'Razão social',
  nome: 'Nome',
  nomeFantasia: 'Nome fantasia',
  ie: 'Inscrição estadual',
  iest: 'IE do substituto tributário',
  email: 'E-mail',
  cnpj: 'CNPJ',
  cpf: 'CPF',
  logradouro: 'Logradouro',
  numero: 'Número do endereço',
  complemento: 'Complemento',
  bairro: 'Bairro',
  codigoMunicipio: 'Código IBGE do município',
  municipio: 'Município',
  uf: 'UF',
  cep: 'CEP',
  telefone: 'Telefone',
  endereco: 'Endereço',
};

const ITEM_LEAVES: Record<string, string> = {
  quantidade: 'Quantidade',
  valorUnitario: 'Preço unitário',
  desconto: 'Desconto',
  'desconto.valor': 'Desconto',
  'desconto.percentual': 'Desconto (%)',
  'desconto.porLitro': 'Desconto por litro',
  informacoes: 'Informações adicionais',
  'pedidoCliente.numero': 'Número do pedido do cliente',
  'pedidoCliente.item': 'Item do pedido do cliente',
  'produto.codigo': 'Código do produto',
  'produto.descricao': 'Descrição do produto',
  'produto.ncm': 'NCM',
  'produto.cest': 'CEST',
  'produto.gtin': 'GTIN',
  'produto.unidade': 'Unidade',
  'produto.codif': 'CODIF',
  'produto.pBio': 'Percentual de biodiesel',
  'produto.pDif': 'Percentual do diferimento',
  'produto.anp.descricao': 'Descrição ANP',
  'icms.cst': 'CST do ICMS',
  'icms.aliquota': 'Alíquota do ICMS',
  'icms.reducaoBase': 'Redução da base do ICMS',
  'icms.creditoSimples': 'Crédito do Simples (%)',
  'icms.st': 'ICMS-ST',
  'icms.st.modalidade': 'Modalidade da base do ICMS-ST',
  'icms.st.mva': 'MVA do ICMS-ST',
  'icms.st.valorPorUnidade': 'Pauta/PMPF do ICMS-ST',
  'icms.st.reducaoBase': 'Redução da base do ICMS-ST',
  'icms.st.aliquota': 'Alíquota do ICMS-ST',
  'icms.st.fcp': 'FCP-ST',
  'icms.retido.basePorUnidade': 'Base do ST retido por unidade',
  'icms.retido.aliquota': 'Alíquota suportada pelo consumidor final',
  'icms.retido.icmsSubstitutoPorUnidade': 'ICMS do substituto por unidade',
  'icms.retido.fcp': 'FCP-ST retido',
  frete: 'Frete',
  seguro: 'Seguro',
  outrasDespesas: 'Outras despesas',
  quantidadeTemperaturaAmbiente: 'Quantidade à temperatura ambiente',
  'produto.cide': 'CIDE por unidade',
  'produto.glp': 'Percentuais de GLP/GN',
  'produto.glp.pGLP': '% de GLP',
  'produto.glp.pGNn': '% de GN nacional',
  'produto.glp.pGNi': '% de GN importado',
  'produto.glp.vPart': 'Valor de partida',
};

const WHOLE: Record<string, string> = {
  emitente: 'Emitente',
  destinatario: 'Destinatário',
  observacoes: 'Informações complementares',
  'natureza.descricao': 'Natureza da operação',
  'natureza.infAdFisco': 'Informações ao fisco',
  'transporte.transportador': 'Transportador',
  'transporte.transportador.nome': 'Nome do transportador',
  'transporte.transportador.endereco': 'Endereço do transportador',
  'transporte.transportador.municipio': 'Município do transportador',
  'transporte.veiculo.placa': 'Placa do veículo',
  'transporte.veiculo.uf': 'UF da placa',
  'transporte.veiculo.rntc': 'RNTC do veículo',
  'transporte.reboques': 'Reboques',
  frete: 'Frete do pedido',
  seguro: 'Seguro do pedido',
  outrasDespesas: 'Outras despesas do pedido',
  referencias: 'Documentos referenciados',
  'contingencia.xJust': 'Justificativa da contingência',
  descontoEspecial: 'Desconto especial do pedido',
  descontoPagador: 'Desconto do pagador',
};

/** "itens[0].quantidade" → "Quantidade do item 1"; unknown paths are returned as they are. */
export function orderFieldLabel(path: string): string {
  const whole = WHOLE[path];
  if (whole) return whole;
  const item = /^itens\[(\d+)\]\.(.+)$/.exec(path);
  if (item) {
    const leaf = ITEM_LEAVES[item[2]!];
    if (leaf) return `${leaf} do item ${Number(item[1]) + 1}`;
  }
  const reboque = /^transporte\.reboques\[(\d+)\]\.(placa|uf|rntc)$/.exec(path);
  if (reboque) return `${reboque[2] === 'placa' ? 'Placa' : reboque[2] === 'uf' ? 'UF' : 'RNTC'} do reboque ${Number(reboque[1]) + 1}`;
  if (/^transporte\.volumes\[\d+\]\.lacres/.test(path)) return 'Lacres';
  const ref = /^referencias\[(\d+)\]/.exec(path);
  if (ref) return `Documento referenciado ${Number(ref[1]) + 1}`;
  const pag = /^pagamentos?\[(\d+)\]\.(.+)$/.exec(path);
  if (pag) return `${pag[2] === 'valor' ? 'Valor' : 'Forma'} do pagamento ${Number(pag[1]) + 1}`;
  for (const [prefix, party] of Object.entries(PARTIES).sort((a, b) => b[0].length - a[0].length)) {
    if (!path.startsWith(`${prefix}.`)) continue;
    const rest = path.slice(prefix.length + 1).replace(/^endereco\./, '');
    const leaf = LEAVES[rest];
    if (leaf) return `${leaf} ${party}`;
  }
  const desc = /^(descontoEspecial|descontoPagador)\.\w+$/.exec(path);
  if (desc) return WHOLE[desc[1]!]!;
  return path;
}
