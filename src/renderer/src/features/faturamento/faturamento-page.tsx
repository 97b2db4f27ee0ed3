export function FaturamentoPage() {
  return (
    <section className="page" aria-labelledby="faturamento-title">
      <header className="page-header">
        <h1 id="faturamento-title">Faturamento</h1>
        <p className="muted">Pedidos do dia, emissão de NF-e e CT-e e acompanhamento na SEFAZ.</p>
      </header>
    </section>
  );
}
