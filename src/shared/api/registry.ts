/**
 * Cadastros (#22 item 17): clientes, produtos, transportadoras, veículos and motoristas.
 * Read in bounded pages (never a whole collection), saved one record at a time.
 */
import type { CustomerDto, ProductDto } from './billing';

export interface CarrierDto {
  id: string;
  /** CNPJ or CPF, digits/letters only. */
  documento: string;
  nome: string;
  /** Inscrição estadual; needs the UF (rejeição 559). */
  ie: string | null;
  uf: string | null;
  municipio: string | null;
  /** Registro Nacional de Transportadores Rodoviários de Carga. */
  rntc: string | null;
}

export interface VehicleDto {
  id: string;
  placa: string;
  uf: string;
  rntc: string | null;
  /** The carrier it belongs to (null: our own fleet or the customer's). */
  carrierId: string | null;
  descricao: string | null;
}

export interface DriverDto {
  id: string;
  nome: string;
  cpf: string;
  cnh: string | null;
  carrierId: string | null;
}

/** Tax data of a product for one UF of destination (used when it has no history there). */
export interface ProductUfTaxDto {
  cstICMS: string | null;
  adRemICMS: string | null;
}

export interface RegistryRows {
  clientes: CustomerDto;
  produtos: ProductDto & { tributacaoUf?: Record<string, ProductUfTaxDto> };
  transportadoras: CarrierDto;
  veiculos: VehicleDto;
  motoristas: DriverDto;
}
export type RegistryKind = keyof RegistryRows;

export const REGISTRY_PAGE_MAX = 100;

export interface RegistryMethods {
  /** One page (at most 100) of a registry, filtered by a text the record contains, in name order. */
  'registry.list': {
    params: { kind: RegistryKind; q?: string; offset?: number; limit?: number; carrierId?: string };
    result: { rows: RegistryRows[RegistryKind][]; next: number | null };
  };
  'registry.save': { params: { kind: RegistryKind; record: RegistryRows[RegistryKind] }; result: RegistryRows[RegistryKind] };
}

export const registryMethodNames = {
  'registry.list': true,
  'registry.save': true,
} as const satisfies Record<keyof RegistryMethods, true>;
