/**
 * What survives a reload of this window (F5, a crash of the renderer) but not its closing:
 * sessionStorage, one per window. The session token lives here so a reload does not sign
 * the faturista out; closing the window still does.
 */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function remember(key: string, value: unknown): void {
  const s = storage();
  if (!s) return;
  if (value === null || value === undefined) s.removeItem(`comboio.${key}`);
  else s.setItem(`comboio.${key}`, JSON.stringify(value));
}

export function recall<T>(key: string): T | null {
  const raw = storage()?.getItem(`comboio.${key}`);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
