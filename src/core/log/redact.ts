/**
 * What must never reach a log file: passwords, A1 certificates and private keys, tokens.
 * Applied to every field object and every message (core/log/index.ts), whatever the caller
 * passed, so a careless `log.info({ config })` cannot leak a certificate password.
 */
export const REDACTED = '[oculto]';

/** Keys whose values are secrets, in any letter case, at any depth. */
const SECRET_KEY = /(senha|password|passphrase|passwd|secret|segredo|token|authorization|cookie|private.?key|chave.?privada|^key$|pfx|p12|pkcs12|certificate|certificado|^cert$|a1)/i;
/** PEM blocks (certificates, keys) and PKCS#12-looking base64 inside free text. */
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
const MAX_DEPTH = 8;

export function redactText(text: string): string {
  return text.includes('-----BEGIN') ? text.replace(PEM, REDACTED) : text;
}

export function redactFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[binário: ${(value as Uint8Array).byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) return { type: value.name, message: redactText(value.message), ...(value.stack ? { stack: redactText(value.stack) } : {}), ...(errorCode(value)) };
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redactFields(v, depth + 1);
  return out;
}

function errorCode(err: Error): { code?: unknown } {
  const code = (err as { code?: unknown }).code;
  return code === undefined ? {} : { code };
}
