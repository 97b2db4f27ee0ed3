import type { Role } from '../../../../../../shared/api/index';
import type { Section } from './initial-state';

/** Which role opens which section; administrador opens all of them. */
export const SECTION_ROLE: Record<Section, Role> = {
  faturamento: 'faturista',
  expedicao: 'expedicao',
  administracao: 'administrador',
};

const ORDER: Section[] = ['faturamento', 'expedicao', 'administracao'];

export function allowedSections(roles: readonly Role[]): Section[] {
  if (roles.includes('administrador')) return [...ORDER];
  return ORDER.filter((s) => roles.includes(SECTION_ROLE[s]));
}
