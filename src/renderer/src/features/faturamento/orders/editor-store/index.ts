import { create } from 'zustand';
import { createEditorActions, type EditorStore } from './action';
import { initialEditorState } from './initial-state';

/** The order being edited: what is typed, its messages and its live totals. */
export const useOrderEditor = create<EditorStore>()((...a) => ({
  ...initialEditorState,
  ...createEditorActions(...a),
}));

export type { EditorStore } from './action';
export { setNaturezasForDefaults, setProductsForEditor } from './catalog';
export type { ItemRow, TaxSource } from './initial-state';
export { isReadOnly, toOrderDto, validate } from './selectors';
export { rowSections } from './selectors';
export { FISCAL_FIELDS, hasFiscalText, MODALIDADES_ST, type FiscalKey, type FiscalSections } from './item-fiscal';
