import { useEffect, useState } from 'react';
import { onSessionLost } from './api';
import { Nav } from './components/nav';
import { StatusBar } from './components/status-bar';
import { AdministracaoPage } from './features/administracao/administracao-page';
import { ExpedicaoPage } from './features/expedicao/expedicao-page';
import { FaturamentoPage } from './features/faturamento/faturamento-page';
import { SignInPage } from './features/sign-in/sign-in-page';
import { allowedSections, useAppStore } from './stores/app-store';

export function App() {
  const section = useAppStore((s) => s.section);
  const session = useAppStore((s) => s.session);
  const load = useAppStore((s) => s.load);
  const subscribeStatus = useAppStore((s) => s.subscribeStatus);
  const sessionLost = useAppStore((s) => s.sessionLost);
  const restore = useAppStore((s) => s.restore);
  // A reload of the window comes back signed in (the token is kept for this window only).
  const [restoring, setRestoring] = useState(true);
  useEffect(() => {
    void restore().finally(() => setRestoring(false));
  }, [restore]);
  useEffect(() => {
    void load();
    onSessionLost(sessionLost);
    const off = subscribeStatus();
    return () => {
      off();
      onSessionLost(null);
    };
  }, [load, subscribeStatus, sessionLost]);

  const allowed = session ? allowedSections(session.user.roles) : [];
  return (
    <div className="shell">
      {session ? (
        <>
          <Nav />
          <main className="content">
            {allowed.length === 0 && <p className="muted">Seu usuário não tem nenhum papel. Peça ao administrador para atribuir um.</p>}
            {section === 'faturamento' && allowed.includes('faturamento') && <FaturamentoPage />}
            {section === 'expedicao' && allowed.includes('expedicao') && <ExpedicaoPage />}
            {section === 'administracao' && allowed.includes('administracao') && <AdministracaoPage />}
          </main>
        </>
      ) : restoring ? (
        <main className="content content-full" aria-busy="true" />
      ) : (
        <main className="content content-full">
          <SignInPage />
        </main>
      )}
      <StatusBar />
    </div>
  );
}
