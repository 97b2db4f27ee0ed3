import { useEffect, useRef } from 'react';

/** A plain function key (no modifiers, no auto-repeat) that runs `action` when `mayRun()` says so. */
function useFunctionKey(key: `F${number}`, action: () => void, enabled: boolean, mayRun: () => boolean): void {
  const ref = useRef(action);
  ref.current = action;
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== key || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.repeat) return;
      // F3 is the browser's "find"; the shortcut wins inside Comboio.
      e.preventDefault();
      if (mayRun()) ref.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, enabled, mayRun]);
}

const noDialogOpen = () => !document.querySelector('dialog[open]');
const oneDialogOpen = () => document.querySelectorAll('dialog[open]').length === 1;

/**
 * A function key for a screen's main action (F2 novo pedido, F3 incluir item, F9 finalizar).
 * Plain F-keys only, so typing is never taken over; while a modal dialog is open it owns
 * the keyboard and the screen behind it does not react.
 */
export function useShortcut(key: `F${number}`, action: () => void, enabled = true): void {
  useFunctionKey(key, action, enabled, noDialogOpen);
}

/**
 * The same keys inside a modal dialog (F9 confirma e emite, F3 adiciona NF-e): active while
 * the dialog that uses it is the only one open, whatever field has the focus.
 */
export function useDialogShortcut(key: `F${number}`, action: () => void, enabled = true): void {
  useFunctionKey(key, action, enabled, oneDialogOpen);
}
