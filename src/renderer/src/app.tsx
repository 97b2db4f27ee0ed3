import { useEffect } from 'react';
import { Nav } from './components/nav';
import { StatusBar } from './components/status-bar';
import { AdministracaoPage } from './features/administracao/administracao-page';
import { ExpedicaoPage } from './features/expedicao/expedicao-page';
import { FaturamentoPage } from './features/faturamento/faturamento-page';
import { subscribeStatus, useAppStore } from './stores/app-store';

export function App() {
  const section = useAppStore((s) => s.section);
  const load = useAppStore((s) => s.load);
  useEffect(() => {
    void load();
    return subscribeStatus();
  }, [load]);
  return (
    <div className="shell">
      <Nav />
      <main className="content">
        {section === 'faturamento' && <FaturamentoPage />}
        {section === 'expedicao' && <ExpedicaoPage />}
        {section === 'administracao' && <AdministracaoPage />}
      </main>
      <StatusBar />
    </div>
  );
}
