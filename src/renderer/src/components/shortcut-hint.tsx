/** The key shown on a button ("F2"); the button's accessible name stays its label. */
export function ShortcutHint({ keys }: { keys: string }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {keys}
    </kbd>
  );
}
