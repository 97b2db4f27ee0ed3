import { useState } from 'react';
import { ROLE_LABELS, type Role, type UserDto } from '../../../../shared/api/index';
import { call } from '../../api';
import { Field } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { Notice } from '../../components/notice';
import { useApiQuery } from '../../hooks/use-api-query';
import { formatDateTime } from '../../lib/dates';
import { errorText } from '../../lib/errors';

const ROLES: Role[] = ['faturista', 'expedicao', 'administrador'];

function UserDialog({ user, onClose, onSaved }: { user: UserDto | null; onClose(): void; onSaved(msg: string): void }) {
  const [login, setLogin] = useState(user?.login ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? ['faturista']);
  const [active, setActive] = useState(user?.active ?? true);
  const [password, setPassword] = useState('');
  const [fe, setFe] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!/^[a-z0-9._-]{2,40}$/.test(login)) e.login = 'Use de 2 a 40 letras minúsculas, números, ponto, hífen ou sublinhado.';
    if (!name.trim()) e.name = 'Informe o nome.';
    if (roles.length === 0) e.roles = 'Escolha ao menos um papel.';
    if (!user && password.length < 8) e.password = 'A senha precisa de pelo menos 8 caracteres.';
    if (user && password && password.length < 8) e.password = 'A senha precisa de pelo menos 8 caracteres.';
    setFe(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      const u = await call('users.save', { login, name: name.trim(), roles, active, ...(password ? { password } : {}) });
      onSaved(`Usuário ${u.login} salvo.`);
    } catch (err) {
      setError(errorText(err, 'Usuário não salvo'));
      setBusy(false);
    }
  };

  return (
    <FormDialog title={user ? `Usuário ${user.login}` : 'Novo usuário'} onClose={onClose} onSubmit={() => void submit()} submitLabel={busy ? 'Salvando…' : 'Salvar'} busy={busy}>
      <div className="form-grid">
        <Field label="Login" required error={fe.login}>
          {(p) => <input {...p} readOnly={!!user} data-autofocus={!user || undefined} autoComplete="off" value={login} onChange={(e) => setLogin(e.target.value.toLowerCase())} />}
        </Field>
        <Field label="Nome" required error={fe.name} className="span-2">
          {(p) => <input {...p} data-autofocus={user ? true : undefined} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset className="radio-group span-3" aria-invalid={fe.roles ? true : undefined}>
          <legend>Papéis</legend>
          {ROLES.map((r) => (
            <label key={r} className="checkbox">
              <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />
              {ROLE_LABELS[r]}
            </label>
          ))}
          {fe.roles && <span className="field-error">{fe.roles}</span>}
        </fieldset>
        <Field
          label={user ? 'Redefinir a senha' : 'Senha'}
          required={!user}
          error={fe.password}
          hint={user ? 'Deixe vazio para manter a senha atual; redefinir encerra as sessões do usuário' : undefined}
          className="span-2"
        >
          {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          Ativo
        </label>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </FormDialog>
  );
}

export function UsuariosSection() {
  const users = useApiQuery(() => call('users.list'), '', 'Não foi possível carregar os usuários');
  const [editing, setEditing] = useState<UserDto | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unlock = async (login: string) => {
    setError(null);
    try {
      await call('users.unlock', { login });
      setNotice(`Usuário ${login} desbloqueado: já pode entrar com a senha dele.`);
      void users.reload();
    } catch (err) {
      setError(errorText(err, 'Usuário não desbloqueado'));
    }
  };
  return (
    <div>
      <div className="toolbar">
        <p className="muted small-text">Os usuários ficam no servidor LAN e valem para todas as estações.</p>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          Novo usuário
        </button>
      </div>
      {(users.error || error) && <Notice kind="error">{users.error ?? error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <table className="grid" aria-label="Usuários">
        <thead>
          <tr>
            <th scope="col">Login</th>
            <th scope="col">Nome</th>
            <th scope="col">Papéis</th>
            <th scope="col">Situação</th>
            <th scope="col">Alterado em</th>
            <th scope="col">
              <span className="sr-only">Ações</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.login}>
              <td>
                <code>{u.login}</code>
              </td>
              <td>{u.name}</td>
              <td>{u.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
              <td>
                {u.active ? 'Ativo' : <span className="pill">Inativo</span>}
                {u.locked && (
                  <>
                    {' '}
                    <span className="pill pill-danger">Bloqueado (senha errada)</span>
                  </>
                )}
              </td>
              <td className="nowrap">{formatDateTime(u.updatedAt)}</td>
              <td>
                <button type="button" className="small" onClick={() => setEditing(u)} aria-label={`Editar ${u.login}`}>
                  Editar
                </button>
                {u.locked && (
                  <button type="button" className="small" onClick={() => void unlock(u.login)} aria-label={`Desbloquear ${u.login}`}>
                    Desbloquear
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <UserDialog
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(m) => {
            setEditing(null);
            setNotice(m);
            void users.reload();
          }}
        />
      )}
    </div>
  );
}
