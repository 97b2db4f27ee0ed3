import { useState } from 'react';
import { ROLE_LABELS } from '../../../shared/api/index';
import { ChangePasswordDialog } from '../features/conta/change-password-dialog';
import { allowedSections, useAppStore, type Section } from '../stores/app-store';
import { leave } from '../lib/leave-guard';

const SECTIONS: { id: Section; label: string; hint: string }[] = [
  { id: 'faturamento', label: 'Faturamento', hint: 'Pedidos, notas e documentos' },
  { id: 'expedicao', label: 'Expedição', hint: 'Reimpressão e fila de impressão' },
  { id: 'administracao', label: 'Administração', hint: 'Séries, certificado, impressoras' },
];

export function Nav() {
  const section = useAppStore((s) => s.section);
  const setSection = useAppStore((s) => s.setSection);
  const session = useAppStore((s) => s.session);
  const logout = useAppStore((s) => s.logout);
  const allowed = allowedSections(session?.user.roles ?? []);
  const [changingPassword, setChangingPassword] = useState(false);
  return (
    <nav className="nav" aria-label="Seções">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">▰▰▰</span> Comboio
      </div>
      {SECTIONS.filter((s) => allowed.includes(s.id)).map((s) => (
        <button
          key={s.id}
          type="button"
          className={s.id === section ? 'nav-item active' : 'nav-item'}
          aria-current={s.id === section ? 'page' : undefined}
          onClick={() => leave(() => setSection(s.id))}
        >
          <span className="nav-label">{s.label}</span>
          <span className="nav-hint">{s.hint}</span>
        </button>
      ))}
      <span className="spacer" />
      {session && (
        <div className="nav-user">
          <div className="nav-user-name" data-testid="session-user">
            {session.user.name}
          </div>
          <div className="nav-hint">
            {session.user.roles.map((r) => ROLE_LABELS[r]).join(', ')} · {session.workstation}
          </div>
          <button type="button" className="nav-logout" onClick={() => setChangingPassword(true)}>
            Trocar senha
          </button>
          <button type="button" className="nav-logout" onClick={() => leave(() => void logout())}>
            Sair
          </button>
        </div>
      )}
      {changingPassword && <ChangePasswordDialog onClose={() => setChangingPassword(false)} />}
    </nav>
  );
}
