/** The app-wide store (session, status bar, navigation), built from slices in ./app. */
export { useAppStore, type AppStore } from './app/store';
export type { Section } from './app/slices/navigation/initial-state';
export { allowedSections } from './app/slices/navigation/selectors';
export { sessionSelectors } from './app/slices/session/selectors';
