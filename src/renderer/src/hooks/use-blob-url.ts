import { useEffect, useState } from 'react';

/** Holds one Blob URL at a time and revokes it when replaced or unmounted. */
export function useBlobUrl(): [string | null, (url: string | null) => void] {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  return [url, setUrl];
}
