import { useEffect, useRef } from 'react';

/**
 * A function key for a screen's main action (F2 novo pedido, F3 incluir item, F9 finalizar).
 * Plain F-keys only, so typing is never taken over; while a modal dialog is open it owns
 * the keyboard and the screen behind it does not react.
 */
export function useShortcut(key: `F${number}`, action: () => void, enabled = true): void {
  const ref = useRef(action);
  ref.current = action;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== key || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return;
      // F3 is the browser's "find"; the shortcut wins inside Comboio.
      e.preventDefault();
      if (document.querySelector('dialog[open]')) return;
      ref.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, enabled]);
}
