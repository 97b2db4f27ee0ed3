import { useState } from 'react';

/** A list's search box: the typed text becomes the query only on Enter or "Buscar". */
export function SearchForm({ id, label, placeholder, onSearch, initialFocus }: { id: string; label: string; placeholder: string; onSearch(query: string): void; initialFocus?: boolean }) {
  const [q, setQ] = useState('');
  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(q.trim());
      }}
    >
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input id={id} data-initial-focus={initialFocus || undefined} type="search" placeholder={placeholder} value={q} onChange={(e) => setQ(e.target.value)} />
      <button type="submit">Buscar</button>
    </form>
  );
}
