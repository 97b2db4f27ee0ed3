import { readFileSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { AppError } from '../core/errors';

const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'fuse.sshfs', 'afs', 'ncpfs', 'glusterfs', 'ceph', 'fuse.rclone']);

/**
 * SQLite's locking and WAL shared memory do not work over SMB/NFS: two servers (or a
 * server and a backup tool) on a share corrupt the file, and fsync on a share does not
 * guarantee the fiscal numbers reached a disk. The server refuses such a folder.
 */
export function assertLocalDisk(dir: string, platform = process.platform, mountsText?: string): void {
  const abs = resolve(dir);
  if (/^(\\\\|\/\/)[^\\/]+[\\/]/.test(dir) || /^\\\\/.test(abs)) throw refuse(dir, 'caminho de rede (\\\\servidor\\pasta)');
  if (platform !== 'linux') return;
  let mounts: string;
  try {
    mounts = mountsText ?? readFileSync('/proc/mounts', 'utf8');
  } catch {
    return;
  }
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    // Not created yet: its parent decides, and the prefix match below still works.
  }
  let best = { point: '', type: '' };
  for (const line of mounts.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const p = point.replace(/\\040/g, ' ');
    const inside = p === '/' || real === p || real.startsWith(p.endsWith(sep) ? p : p + sep);
    if (inside && p.length > best.point.length) best = { point: p, type };
  }
  if (NETWORK_FS.has(best.type)) throw refuse(dir, `sistema de arquivos de rede (${best.type} em ${best.point})`);
}

function refuse(dir: string, what: string): AppError {
  return new AppError(
    'SERVER_DATA_ON_NETWORK',
    `A pasta de dados do servidor (${dir}) está em um ${what}. O banco SQLite do servidor precisa ficar em um disco local da máquina servidora: em compartilhamento de rede o arquivo pode corromper e números fiscais podem se perder.`,
  );
}
