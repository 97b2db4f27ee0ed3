import { useAppStore } from '../../stores/app-store';

export function EstacaoSection() {
  const info = useAppStore((s) => s.info);
  return (
    <div className="card">
      <h2>Esta estação</h2>
      {info ? (
        <dl className="facts">
          <dt>Versão</dt>
          <dd>{info.version}</dd>
          <dt>Execução</dt>
          <dd>{info.host === 'electron' ? 'Aplicativo desktop' : 'Navegador (host local)'}</dd>
          <dt>Pasta de dados</dt>
          <dd>
            <code>{info.dataDir}</code>
          </dd>
          <dt>Versão do banco local</dt>
          <dd>{info.schemaVersion}</dd>
          <dt>Iniciado em</dt>
          <dd>{new Date(info.startedAt).toLocaleString('pt-BR')}</dd>
        </dl>
      ) : (
        <p className="muted">Carregando…</p>
      )}
    </div>
  );
}
