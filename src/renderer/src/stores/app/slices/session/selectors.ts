import type { Role } from '../../../../../../shared/api/index';
import type { AppStore } from '../../store';

export const sessionSelectors = {
  user: (s: AppStore) => s.session?.user ?? null,
  roles: (s: AppStore): Role[] => s.session?.user.roles ?? [],
  hasRole: (role: Role) => (s: AppStore) => {
    const roles = s.session?.user.roles ?? [];
    return roles.includes('administrador') || roles.includes(role);
  },
};
