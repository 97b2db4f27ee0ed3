import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** fsync'd write: the signed XML is the record and must survive a power cut once we say so. */
export function writeDurable(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    // A string is written as UTF-8 (XML); bytes as they are (PDF).
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
