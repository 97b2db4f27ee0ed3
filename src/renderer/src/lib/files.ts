/** Reads a chosen file as text (XML imports). */
export function readFileText(file: File): Promise<string> {
  return file.text();
}

/** Reads a chosen file as base64 (the .pfx certificate), without data-URL prefix. */
export async function readFileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** A Blob URL for a base64 payload; the caller revokes it when the link goes away. */
export function base64ToBlobUrl(base64: string, type: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type }));
}

export function textToBlobUrl(text: string, type: string): string {
  return URL.createObjectURL(new Blob([text], { type }));
}
