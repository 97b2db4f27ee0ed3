import { useState } from 'react';
import { Tabs, type TabDef } from '../../components/tabs';
import { useInitialFocus } from '../../hooks/use-initial-focus';
import { DocumentSearch } from './document-search';
import { EntregaPanel } from './entrega-panel';
import { PrintQueue } from './print-queue';
import { ReprintAudit } from './reprint-audit';

type Tab = 'localizar' | 'entrega' | 'fila' | 'auditoria';
const TABS: TabDef<Tab>[] = [
  { id: 'localizar', label: 'Localizar e reimprimir' },
  { id: 'entrega', label: 'Comprovante de entrega' },
  { id: 'fila', label: 'Fila de impressão' },
  { id: 'auditoria', label: 'Auditoria de reimpressões' },
];

export function ExpedicaoPage() {
  const [tab, setTab] = useState<Tab>('localizar');
  const panel = useInitialFocus<HTMLDivElement>(tab);
  return (
    <section className="page" aria-labelledby="expedicao-title">
      <header className="page-header">
        <h1 id="expedicao-title">Expedição</h1>
        <p className="muted">Localize documentos e reimprima DANFE e DACTE no formulário contínuo ou em PDF.</p>
      </header>
      <Tabs tabs={TABS} value={tab} onChange={setTab} label="Expedição" />
      <div ref={panel} className="tab-panel" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'localizar' && <DocumentSearch />}
        {tab === 'entrega' && <EntregaPanel />}
        {tab === 'fila' && <PrintQueue />}
        {tab === 'auditoria' && <ReprintAudit />}
      </div>
    </section>
  );
}
