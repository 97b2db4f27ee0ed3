import { create } from 'zustand';

export type FaturamentoTab = 'pedidos' | 'documentos' | 'importar';

interface FaturamentoView {
  tab: FaturamentoTab;
  /** The order open in the editor ('new' while creating one). */
  editing: string | null;
  selectedDocumentId: string | null;
  setTab(tab: FaturamentoTab): void;
  edit(orderId: string | null): void;
  showDocument(id: string): void;
  selectDocument(id: string | null): void;
}

export const useFaturamentoView = create<FaturamentoView>()((set) => ({
  tab: 'pedidos',
  editing: null,
  selectedDocumentId: null,
  setTab: (tab) => set({ tab }),
  edit: (editing) => set({ editing, tab: 'pedidos' }),
  showDocument: (id) => set({ tab: 'documentos', selectedDocumentId: id, editing: null }),
  selectDocument: (selectedDocumentId) => set({ selectedDocumentId }),
}));
