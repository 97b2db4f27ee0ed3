import { useEffect, useRef, type RefObject } from 'react';

const FIELD = 'input:not([type=hidden]):not(:disabled):not([readonly]), select:not(:disabled), textarea:not(:disabled):not([readonly])';

/** Nothing useful holds the focus: the page itself, a control that just went away, the nav. */
function focusIsIdle(root: HTMLElement): boolean {
  const a = document.activeElement as HTMLElement | null;
  if (!a || a === document.body || !a.isConnected) return true;
  if (root.contains(a)) return false;
  return a.closest('.nav') !== null;
}

/**
 * Every screen starts with its first useful field focused: the element marked
 * `data-initial-focus`, else the first editable field. Screens whose content loads later
 * are waited for (up to 2 s). It never takes the focus from a control the user is in.
 */
export function useInitialFocus<T extends HTMLElement>(screen: string): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    let tries = 0;
    let timer: ReturnType<typeof setTimeout>;
    const attempt = () => {
      const root = ref.current;
      if (!root || document.querySelector('dialog[open]')) return;
      if (!focusIsIdle(root)) return;
      const target = root.querySelector<HTMLElement>('[data-initial-focus]') ?? root.querySelector<HTMLElement>(FIELD);
      if (target) target.focus();
      else if (++tries < 20) timer = setTimeout(attempt, 100);
    };
    timer = setTimeout(attempt, 0);
    return () => clearTimeout(timer);
  }, [screen]);
  return ref;
}
