import { Tabs, type TabDef } from '../../components/tabs';
import { CadastrosPanel } from './cadastros/cadastros-panel';
import { DocumentsPanel } from './documents/documents-panel';
import { ContingencyPendingReport } from './documents/contingency-pending';
import { ImportXml } from './import/import-xml';
import { OrderEditor } from './orders/order-editor';
import { OrdersList } from './orders/orders-list';
import { useFaturamentoView, type FaturamentoTab } from './view-store';
import { useInitialFocus } from '../../hooks/use-initial-focus';
import { useShortcut } from '../../hooks/use-shortcut';
import { leave } from '../../lib/leave-guard';

const TABS: TabDef<FaturamentoTab>[] = [
  { id: 'pedidos', label: 'Pedidos' },
  { id: 'documentos', label: 'Documentos' },
  { id: 'importar', label: 'Importar XML' },
  { id: 'cadastros', label: 'Cadastros' },
  { id: 'contingencia', label: 'Contingência' },
];

export function FaturamentoPage() {
  const tab = useFaturamentoView((s) => s.tab);
  const setTab = useFaturamentoView((s) => s.setTab);
  const editing = useFaturamentoView((s) => s.editing);
  const edit = useFaturamentoView((s) => s.edit);
  const panel = useInitialFocus<HTMLDivElement>(`${tab}|${editing ?? ''}`);
  // F2 anywhere in Faturamento: a new order (asking first if the open one has changes).
  useShortcut('F2', () => leave(() => edit('new')));
  return (
    <section className="page" aria-labelledby="faturamento-title">
      <header className="page-header">
        <h1 id="faturamento-title">Faturamento</h1>
        <p className="muted">Pedidos do dia, emissão de NF-e e acompanhamento na SEFAZ.</p>
      </header>
      <Tabs tabs={TABS} value={tab} onChange={(t) => leave(() => setTab(t))} label="Faturamento" />
      <div ref={panel} className="tab-panel" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'pedidos' && (editing ? <OrderEditor orderId={editing} /> : <OrdersList />)}
        {tab === 'documentos' && <DocumentsPanel />}
        {tab === 'importar' && <ImportXml />}
        {tab === 'cadastros' && <CadastrosPanel />}
        {tab === 'contingencia' && <ContingencyPendingReport />}
      </div>
    </section>
  );
}
