/**
 * Leaving a screen with unsaved changes asks first. The screen that has something to lose
 * (the order editor) registers a guard; every way out — another tab or section, "Sair",
 * F2, "← Pedidos" — goes through `leave`, and the guard decides whether to ask.
 */
type Guard = (proceed: () => void) => boolean;

let guard: Guard | null = null;

/** Returns the unregister function. The guard returns true when it took over (it asks). */
export function setLeaveGuard(g: Guard): () => void {
  guard = g;
  return () => {
    if (guard === g) guard = null;
  };
}

export function leave(proceed: () => void): void {
  if (guard?.(proceed)) return;
  proceed();
}
