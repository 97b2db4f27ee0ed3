import { ROLE_LABELS, type Role } from '../../../../shared/api/index';

interface DemoUser {
  login: string;
  password: string;
  roles: Role[];
}

/** Demo installations list their seeded users so a newcomer can sign in at once. */
export function DemoUsers({ users, onPick }: { users: DemoUser[]; onPick(u: DemoUser): void }) {
  return (
    <section className="demo-users" aria-labelledby="demo-users-title">
      <h2 id="demo-users-title">Usuários de demonstração</h2>
      <table className="grid compact">
        <thead>
          <tr>
            <th scope="col">Usuário</th>
            <th scope="col">Senha</th>
            <th scope="col">Papéis</th>
            <th scope="col">
              <span className="sr-only">Ação</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.login}>
              <td>
                <code>{u.login}</code>
              </td>
              <td>
                <code>{u.password}</code>
              </td>
              <td>{u.roles.map((r) => ROLE_LABELS[r]).join(', ')}</td>
              <td>
                <button type="button" className="link" onClick={() => onPick(u)} aria-label={`Usar ${u.login}`}>
                  Usar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
