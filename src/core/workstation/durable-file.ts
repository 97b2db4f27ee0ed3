import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** fsync'd write: the signed XML is the record and must survive a power cut once we say so. */
export function writeDurable(file: string, text: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
