import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writes a fiscal file durably: temp file, fsync, rename. The bytes are written as given
 * (UTF-8), never re-serialised, so the stored nfeProc keeps the signed NFe intact.
 */
export function writeFiscalFile(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return file;
}

export const procNFePath = (outDir: string, chave: string) => join(outDir, `${chave}-procNFe.xml`);
export const procEventoPath = (outDir: string, chave: string, tpEvento: string, nSeq: number) =>
  join(outDir, `${chave}-${tpEvento}-${String(nSeq).padStart(2, '0')}-procEventoNFe.xml`);
export const procInutPath = (outDir: string, id: string) => join(outDir, `${id.replace(/^ID/, '')}-procInutNFe.xml`);
export const procCTePath = (outDir: string, chave: string) => join(outDir, `${chave}-procCTe.xml`);
export const procEventoCTePath = (outDir: string, chave: string, tpEvento: string, nSeq: number) =>
  join(outDir, `${chave}-${tpEvento}-${String(nSeq).padStart(2, '0')}-procEventoCTe.xml`);
