import { useCallback, useEffect, useRef, useState } from 'react';
import { apiErrorOf, errorText } from '../lib/errors';

export interface Editable<T> {
  value: T | null;
  set(patch: Partial<T>): void;
  loadError: string | null;
  saveError: string | null;
  /** The field the core blamed, if any. */
  errorField: string | null;
  saved: string | null;
  saving: boolean;
  save(): Promise<void>;
  reload(): Promise<void>;
}

/** A configuration form: load once, edit a local copy, save through the Api. */
export function useEditable<T>(load: () => Promise<T>, persist: (v: T) => Promise<T>, what: string, empty?: T): Editable<T> {
  const [value, setValue] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [errorField, setErrorField] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const loadRef = useRef(load);
  loadRef.current = load;
  const emptyRef = useRef(empty);

  const reload = useCallback(async () => {
    const empty = emptyRef.current;
    try {
      const v = await loadRef.current();
      setValue(v ?? empty ?? null);
      setLoadError(null);
    } catch (err) {
      setLoadError(errorText(err, `Não foi possível carregar ${what}`));
      if (empty !== undefined) setValue((v) => v ?? empty);
    }
  }, [what]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return {
    value,
    set: (patch) => {
      setValue((v) => (v ? { ...v, ...patch } : v));
      setSaved(null);
    },
    loadError,
    saveError,
    errorField,
    saved,
    saving,
    save: async () => {
      if (!value) return;
      setSaving(true);
      setSaveError(null);
      setErrorField(null);
      try {
        setValue(await persist(value));
        setSaved(`${what[0]!.toUpperCase()}${what.slice(1)}: alterações salvas.`);
      } catch (err) {
        setSaveError(errorText(err, 'Não foi possível salvar'));
        setErrorField(apiErrorOf(err).field ?? null);
      }
      setSaving(false);
    },
    reload,
  };
}
