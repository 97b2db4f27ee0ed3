import { describe, expect, it } from 'vitest';
import { runs, subtract, uncovered } from '../../../src/server/numbering/intervals';
import { inutilizacaoDeadline } from '../../../src/server/numbering/store';
import { assertLocalDisk } from '../../../src/server/storage-check';

describe('intervals', () => {
  it('finds uncovered parts', () => {
    expect(uncovered(1, 10, [])).toEqual([[1, 10]]);
    expect(uncovered(1, 10, [[3, 4], [4, 6], [9, 20]])).toEqual([[1, 2], [7, 8]]);
    expect(uncovered(5, 5, [[1, 9]])).toEqual([]);
  });
  it('groups runs and subtracts', () => {
    expect(runs([3, 4, 5, 9, 11, 12])).toEqual([[3, 5], [9, 9], [11, 12]]);
    expect(subtract([1, 10], [4, 6])).toEqual([[1, 3], [7, 10]]);
    expect(subtract([1, 10], [1, 10])).toEqual([]);
    expect(subtract([1, 10], [20, 30])).toEqual([[1, 10]]);
  });
});

describe('inutilização deadline (Ajuste SINIEF 07/05: 10th of the following month)', () => {
  it('rolls over the year', () => {
    expect(inutilizacaoDeadline('2026-03-31')).toBe('2026-04-10');
    expect(inutilizacaoDeadline('2026-12-01')).toBe('2027-01-10');
  });
});

describe('server data folder', () => {
  const mounts = '/dev/vda / ext4 rw 0 0\nserver:/export /mnt/nfs nfs4 rw 0 0\n//nas/share /mnt/smb cifs rw 0 0\n';
  it('refuses network shares', () => {
    expect(() => assertLocalDisk('/mnt/nfs/comboio', 'linux', mounts)).toThrow(/disco local/);
    expect(() => assertLocalDisk('/mnt/smb/x', 'linux', mounts)).toThrow(/cifs/);
    expect(() => assertLocalDisk('\\\\NAS\\comboio', 'win32')).toThrow(/caminho de rede/);
    expect(() => assertLocalDisk('/var/lib/comboio', 'linux', mounts)).not.toThrow();
  });
});
