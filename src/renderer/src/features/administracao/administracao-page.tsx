import { useState } from 'react';
import { Tabs, type TabDef } from '../../components/tabs';
import { useInitialFocus } from '../../hooks/use-initial-focus';
import { CertificadoSection } from './certificado-section';
import { EstabelecimentoSection } from './estabelecimento-section';
import { EmitentesSection } from './emitentes-section';
import { DiagnosticoSection } from './diagnostico-section';
import { EstacaoSection } from './estacao-section';
import { ImpressorasSection } from './impressoras/impressoras-section';
import { SefazSection } from './sefaz-section';
import { ContingenciaSection } from './contingencia-section';
import { SeriesSection } from './series/series-section';
import { ServidorLanSection } from './servidor-lan-section';
import { UsuariosSection } from './usuarios-section';
import { EstacoesSection } from './estacoes-section';
import { TravasSection } from './travas-section';
import { DadosLocaisSection } from './dados-locais-section';

type Tab = 'series' | 'estabelecimento' | 'impressoras' | 'lan' | 'sefaz' | 'contingencia' | 'usuarios' | 'estacoes' | 'travas' | 'estacao';
const TABS: TabDef<Tab>[] = [
  { id: 'series', label: 'Séries' },
  { id: 'estabelecimento', label: 'Estabelecimento e certificado' },
  { id: 'impressoras', label: 'Impressoras' },
  { id: 'lan', label: 'Servidor LAN' },
  { id: 'sefaz', label: 'SEFAZ' },
  { id: 'contingencia', label: 'Contingência' },
  { id: 'usuarios', label: 'Usuários' },
  { id: 'estacoes', label: 'Estações' },
  { id: 'travas', label: 'Travas de pedidos' },
  { id: 'estacao', label: 'Esta estação' },
];

export function AdministracaoPage() {
  const [tab, setTab] = useState<Tab>('series');
  const panel = useInitialFocus<HTMLDivElement>(tab);
  return (
    <section className="page" aria-labelledby="administracao-title">
      <header className="page-header">
        <h1 id="administracao-title">Administração</h1>
        <p className="muted">Séries e próximo número, estabelecimento e certificado, impressoras, servidor LAN e SEFAZ.</p>
      </header>
      <Tabs tabs={TABS} value={tab} onChange={setTab} label="Administração" />
      <div ref={panel} className="tab-panel" role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === 'series' && <SeriesSection />}
        {tab === 'estabelecimento' && (
          <>
            <EstabelecimentoSection />
            <CertificadoSection />
            <EmitentesSection />
          </>
        )}
        {tab === 'impressoras' && <ImpressorasSection />}
        {tab === 'lan' && <ServidorLanSection />}
        {tab === 'sefaz' && <SefazSection />}
        {tab === 'contingencia' && <ContingenciaSection />}
        {tab === 'usuarios' && <UsuariosSection />}
        {tab === 'estacoes' && <EstacoesSection />}
        {tab === 'travas' && <TravasSection />}
        {tab === 'estacao' && (
          <>
            <EstacaoSection />
            <DadosLocaisSection />
            <DiagnosticoSection />
          </>
        )}
      </div>
    </section>
  );
}
