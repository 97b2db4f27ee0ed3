export function ExpedicaoPage() {
  return (
    <section className="page" aria-labelledby="expedicao-title">
      <header className="page-header">
        <h1 id="expedicao-title">Expedição</h1>
        <p className="muted">Localize documentos e reimprima DANFE e DACTE no formulário contínuo ou em PDF.</p>
      </header>
    </section>
  );
}
