// No imports: the Node tests map the fiscal core's paths with this very function.

/** The fiscal core's transport paths, as the order form names its transport fields. */
const TRANSPORT_FIELDS: Record<string, string> = {
  'transporte.transportador.cnpj': 'transporte.transportadorDocumento',
  'transporte.transportador.cpf': 'transporte.transportadorDocumento',
  'transporte.transportador.nome': 'transporte.transportadorNome',
  'transporte.veiculo.placa': 'transporte.placa',
  'transporte.veiculo.uf': 'transporte.ufPlaca',
  'transporte.veiculo.rntc': 'transporte.rntc',
};

/** The fiscal core's item paths (the order format) → the editor's item fields. */
const ITEM_FIELDS: [RegExp, string][] = [
  [/^icms\.st(\.|$)/, 'icmsSt$1'],
  [/^icms\.retido(\.|$)/, 'icmsRetido$1'],
  [/^icms\.aliquota$/, 'aliquotaICMS'],
  [/^icms\.reducaoBase$/, 'reducaoBaseICMS'],
  [/^icms\.creditoSimples$/, 'creditoSimples'],
  [/^icms\.cst$/, 'cstICMS'],
  [/^produto\.glp(\.|$)/, 'glp$1'],
  [/^produto\.cide$/, 'cide'],
  [/^produto\.origem/, 'origem'],
  [/^produto\.cfop.*$/, 'cfop'],
  [/^quantidadeTemperaturaAmbiente$/, 'qTemp'],
  [/^valorUnitario$/, 'precoUnitario'],
];

/** Contract field paths use "items[2].quantidade"; the fiscal core says "itens[2]…" in its own words. */
export function normalizeFieldPath(field: string | undefined): string | undefined {
  if (!field) return field;
  if (TRANSPORT_FIELDS[field]) return TRANSPORT_FIELDS[field];
  const reboque = /^transporte\.reboques\[(\d+)\]\.(placa|uf|rntc)$/.exec(field);
  if (reboque) return `transporte.reboques[${reboque[1]}].${reboque[2]}`;
  if (/^transporte\.volumes\[0\]\.lacres/.test(field)) return 'transporte.volume.lacres';
  const item = /^itens\[(\d+)\]\.(.+)$/.exec(field);
  if (item) {
    for (const [re, to] of ITEM_FIELDS) if (re.test(item[2]!)) return `items[${item[1]}].${item[2]!.replace(re, to)}`;
    return `items[${item[1]}].${item[2]}`;
  }
  if (/^referencias\[\d+\]/.test(field)) return field.replace(/\.(nfe|nfce|cte)$/, '.chave');
  return field;
}
