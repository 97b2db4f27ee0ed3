export type Section = 'faturamento' | 'expedicao' | 'administracao';

export interface NavigationState {
  section: Section;
}

export const initialNavigationState: NavigationState = { section: 'faturamento' };
