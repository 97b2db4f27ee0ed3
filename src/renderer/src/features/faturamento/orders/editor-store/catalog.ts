import type { NaturezaDto, ProductDto } from '../../../../../../shared/api/index';

/**
 * The naturezas and products the editor lists (set by the screen once loaded): the item's
 * CST falls back to the natureza's, and the product says whether fuel/GLP fields apply.
 */
let naturezas: NaturezaDto[] = [];
let products: ProductDto[] = [];

export function setNaturezasForDefaults(list: NaturezaDto[]): void {
  naturezas = list;
}
export function setProductsForEditor(list: ProductDto[]): void {
  products = list;
}
export const naturezaOf = (id: string): NaturezaDto | undefined => naturezas.find((n) => n.id === id);
export const productOf = (id: string): ProductDto | undefined => products.find((p) => p.id === id);
