import type { CarrierDto, DriverDto, VehicleDto } from '../../shared/api/registry';
import type { EstablishmentDto } from '../../shared/api/admin';
import type { CustomerDto, NaturezaDto, ProductDto } from '../../shared/api/billing';
import type { Role } from '../../shared/api/session';

/**
 * Demo / homologação data so a newcomer bills an order within a minute of `npm start`.
 * Registration numbers are valid (check digits) but belong to no real party; the
 * establishment's CNPJ is the one the generated test certificate carries.
 */
export const DEMO_ESTABLISHMENT: EstablishmentDto = {
  cnpj: '11222333000181',
  razaoSocial: 'COMBOIO DISTRIBUIDORA DE COMBUSTIVEIS LTDA',
  nomeFantasia: 'Comboio Distribuidora',
  ie: '110042490114',
  crt: 3,
  endereco: {
    logradouro: 'Avenida Paulista',
    numero: '1000',
    bairro: 'Bela Vista',
    cMun: '3550308',
    municipio: 'São Paulo',
    uf: 'SP',
    cep: '01310100',
    fone: '1130000000',
  },
};

export const DEMO_CUSTOMERS: CustomerDto[] = [
  {
    id: 'cli-posto-estrela',
    documento: '11444777000161',
    nome: 'AUTO POSTO ESTRELA DO VALE LTDA',
    ie: '114814878004',
    indIEDest: 1,
    email: 'fiscal@postoestrela.example',
    endereco: { logradouro: 'Rodovia Anhanguera', numero: 'KM 102', bairro: 'Distrito Industrial', cMun: '3509502', municipio: 'Campinas', uf: 'SP', cep: '13065000' },
    // Picks up at the base in its own tanker (FOB).
    freteHabitual: { modFrete: 1, transportadorDocumento: '11444777000161', transportadorNome: 'AUTO POSTO ESTRELA DO VALE LTDA', placa: 'EST1A23', ufPlaca: 'SP' },
  },
  {
    id: 'cli-transportes-serra',
    documento: '12ABC34501DE35',
    nome: 'TRANSPORTES SERRA AZUL LTDA',
    ie: '535123813006',
    indIEDest: 1,
    email: 'compras@serraazul.example',
    endereco: { logradouro: 'Rua das Indústrias', numero: '455', bairro: 'Centro', cMun: '3548708', municipio: 'São Bernardo do Campo', uf: 'SP', cep: '09750000' },
  },
  {
    id: 'cli-fazenda-boa-vista',
    documento: '52998224725',
    nome: 'JOSE DA SILVA - FAZENDA BOA VISTA',
    ie: null,
    indIEDest: 9,
    email: null,
    endereco: { logradouro: 'Estrada Municipal SPA-040', numero: 'S/N', bairro: 'Zona Rural', cMun: '3543402', municipio: 'Ribeirão Preto', uf: 'SP', cep: '14000000' },
  },
  {
    id: 'cli-posto-mineiro',
    documento: '33000167000101',
    nome: 'POSTO MINEIRO COMBUSTIVEIS LTDA',
    ie: '0623000000029',
    indIEDest: 1,
    email: 'nfe@postomineiro.example',
    endereco: { logradouro: 'Avenida Amazonas', numero: '2000', bairro: 'Centro', cMun: '3106200', municipio: 'Belo Horizonte', uf: 'MG', cep: '30180001' },
    // Delivered by the distributor's contracted carrier (CIF).
    freteHabitual: { modFrete: 0, transportadorDocumento: '11222333000181', transportadorNome: 'TRANSPORTES RAPIDO LTDA', placa: null, ufPlaca: null },
  },
];

// Ad rem rates (R$/L) of Convênio ICMS 199/2022 and 15/2023 as in force in 2025–2026.
export const DEMO_PRODUCTS: ProductDto[] = [
  {
    id: 'prod-diesel-s10',
    codigo: 'DS10',
    descricao: 'OLEO DIESEL B S10 COMUM',
    ncm: '27101921',
    unidade: 'L',
    cest: '0600602',
    cProdANP: '820101034',
    descANP: 'ÓLEO DIESEL B S10 - COMUM',
    pBio: '14.0000',
    precoUnitario: '5.8790',
    adRemICMS: '1.1200',
  },
  {
    id: 'prod-diesel-s500',
    codigo: 'DS500',
    descricao: 'OLEO DIESEL B S500 COMUM',
    ncm: '27101921',
    unidade: 'L',
    cest: '0600602',
    cProdANP: '820101012',
    descANP: 'ÓLEO DIESEL B S500 - COMUM',
    pBio: '14.0000',
    precoUnitario: '5.7390',
    adRemICMS: '1.1200',
  },
  {
    id: 'prod-gasolina-c',
    codigo: 'GASC',
    descricao: 'GASOLINA C COMUM',
    ncm: '27101259',
    unidade: 'L',
    cest: '0600202',
    cProdANP: '320102001',
    descANP: 'GASOLINA C COMUM',
    pBio: null,
    precoUnitario: '6.1290',
    adRemICMS: '1.4700',
  },
  {
    id: 'prod-lub-15w40',
    codigo: 'LUB15W40',
    descricao: 'OLEO LUBRIFICANTE MOTOR DIESEL 15W40 20L',
    ncm: '27101932',
    unidade: 'UN',
    cest: '0600700',
    cProdANP: null,
    descANP: null,
    pBio: null,
    precoUnitario: '389.9000',
    adRemICMS: null,
  },
  // Hydrated ethanol is still under ICMS-ST in many UFs (CST 10 on the distributor's sale).
  {
    id: 'prod-etanol-hidratado',
    codigo: 'EHC',
    descricao: 'ETANOL HIDRATADO COMBUSTIVEL',
    ncm: '22071090',
    unidade: 'L',
    cest: null,
    cProdANP: '810101001',
    descANP: null,
    pBio: null,
    precoUnitario: '3.8900',
    adRemICMS: null,
  },
  // GLP: comb needs pGLP, pGNn, pGNi and vPart (rejections 855/856).
  {
    id: 'prod-glp-granel',
    codigo: 'GLP',
    descricao: 'GAS LIQUEFEITO DE PETROLEO (GLP) A GRANEL',
    ncm: '27111910',
    unidade: 'KG',
    cest: null,
    cProdANP: '210203001',
    descANP: null,
    pBio: null,
    precoUnitario: '7.2100',
    adRemICMS: '1.3900',
  },
];

export const DEMO_NATUREZAS: NaturezaDto[] = [
  {
    id: 'nat-venda-comb-61',
    descricao: 'VENDA DE COMBUSTIVEL ADQUIRIDO DE TERCEIROS',
    cfopInterna: '5656',
    cfopInterestadual: '6656',
    cstICMS: '61',
    cstPIS: '04',
    cstCOFINS: '04',
    infCpl: null,
    infAdFisco: 'ICMS monofasico recolhido anteriormente conforme Convenio ICMS 199/2022.',
  },
  {
    id: 'nat-venda-comb-02',
    descricao: 'VENDA DE COMBUSTIVEL - ICMS MONOFASICO PROPRIO',
    cfopInterna: '5655',
    cfopInterestadual: '6655',
    cstICMS: '02',
    cstPIS: '04',
    cstCOFINS: '04',
    infCpl: null,
    infAdFisco: null,
  },
  {
    id: 'nat-venda-st',
    descricao: 'VENDA DE COMBUSTIVEL COM ICMS-ST',
    cfopInterna: '5655',
    cfopInterestadual: '6655',
    cstICMS: '10',
    cstPIS: '04',
    cstCOFINS: '04',
    infCpl: null,
    infAdFisco: null,
  },
  // A customer who issues no note returns fuel: the distributor's own entry (tpNF 0, finNFe 4).
  {
    id: 'nat-venda-devolucao',
    descricao: 'DEVOLUCAO DE VENDA DE COMBUSTIVEL',
    cfopInterna: '1662',
    cfopInterestadual: '2662',
    cstICMS: '61',
    cstPIS: '04',
    cstCOFINS: '04',
    infCpl: null,
    infAdFisco: null,
    tipo: 'entrada',
    finalidade: 4,
    modFrete: 9,
  },
];

/** Cadastros › Transportadoras, Veículos, Motoristas (#22 item 17): what an order's transport is picked from. */
export const DEMO_CARRIERS: CarrierDto[] = [
  { id: 'tra-rapido', documento: '11222333000181', nome: 'TRANSPORTES RAPIDO LTDA', ie: null, uf: 'SP', municipio: 'Campinas', rntc: '012345678' },
  { id: 'tra-estrela', documento: '11444777000161', nome: 'AUTO POSTO ESTRELA DO VALE LTDA', ie: null, uf: 'SP', municipio: 'Campinas', rntc: null },
];
export const DEMO_VEHICLES: VehicleDto[] = [
  { id: 'vei-abc1d23', placa: 'ABC1D23', uf: 'SP', rntc: '012345678', carrierId: 'tra-rapido', descricao: 'Caminhão-tanque 30 m³' },
  { id: 'vei-est1a23', placa: 'EST1A23', uf: 'SP', rntc: null, carrierId: 'tra-estrela', descricao: 'Caminhão-tanque 15 m³ (do cliente)' },
];
export const DEMO_DRIVERS: DriverDto[] = [{ id: 'mot-joao', nome: 'JOAO DA SILVA', cpf: '52998224725', cnh: '01234567890', carrierId: 'tra-rapido' }];

export const DEMO_USERS: { login: string; name: string; password: string; roles: Role[] }[] = [
  { login: 'admin', name: 'Administrador', password: 'admin123', roles: ['administrador'] },
  { login: 'faturista', name: 'Faturista de demonstração', password: 'fatura123', roles: ['faturista'] },
  { login: 'expedicao', name: 'Expedição de demonstração', password: 'expede123', roles: ['expedicao'] },
];
