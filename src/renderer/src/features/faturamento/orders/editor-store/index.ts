import { create } from 'zustand';
import { createEditorActions, type EditorStore } from './action';
import { initialEditorState } from './initial-state';

/** The order being edited: what is typed, its messages and its live totals. */
export const useOrderEditor = create<EditorStore>()((...a) => ({
  ...initialEditorState,
  ...createEditorActions(...a),
}));

export type { EditorStore } from './action';
export { setNaturezasForDefaults } from './action';
export type { ItemRow, TaxSource } from './initial-state';
export { isReadOnly, toOrderDto, validate } from './selectors';
