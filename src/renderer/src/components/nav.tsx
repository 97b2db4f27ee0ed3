import { useAppStore, type Section } from '../stores/app-store';

const SECTIONS: { id: Section; label: string; hint: string }[] = [
  { id: 'faturamento', label: 'Faturamento', hint: 'Pedidos, notas e documentos' },
  { id: 'expedicao', label: 'Expedição', hint: 'Reimpressão e fila de impressão' },
  { id: 'administracao', label: 'Administração', hint: 'Séries, certificado, impressoras' },
];

export function Nav() {
  const section = useAppStore((s) => s.section);
  const setSection = useAppStore((s) => s.setSection);
  return (
    <nav className="nav" aria-label="Seções">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">▰▰▰</span> Comboio
      </div>
      {SECTIONS.map((s) => (
        <button
          key={s.id}
          type="button"
          className={s.id === section ? 'nav-item active' : 'nav-item'}
          aria-current={s.id === section ? 'page' : undefined}
          onClick={() => setSection(s.id)}
        >
          <span className="nav-label">{s.label}</span>
          <span className="nav-hint">{s.hint}</span>
        </button>
      ))}
    </nav>
  );
}
