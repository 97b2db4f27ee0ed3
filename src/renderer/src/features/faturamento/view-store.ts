import { create } from 'zustand';
import { recall, remember } from '../../lib/tab-memory';

export type FaturamentoTab = 'pedidos' | 'documentos' | 'importar' | 'cadastros' | 'contingencia';

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
  // A reload of the window comes back to the same tab and open order.
  tab: recall<FaturamentoTab>('tab') ?? 'pedidos',
  editing: recall<string>('editing'),
  selectedDocumentId: null,
  setTab: (tab) => {
    remember('tab', tab);
    set({ tab });
  },
  edit: (editing) => {
    remember('tab', 'pedidos');
    remember('editing', editing);
    set({ editing, tab: 'pedidos' });
  },
  showDocument: (id) => {
    remember('tab', 'documentos');
    remember('editing', null);
    set({ tab: 'documentos', selectedDocumentId: id, editing: null });
  },
  selectDocument: (selectedDocumentId) => set({ selectedDocumentId }),
}));
