import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/server/auth/permissions';
import { errorOf, startTestServer } from './harness';

// Issue #16: every server command says who may send it; one that does not is refused.
type Harness = Awaited<ReturnType<typeof startTestServer>>;
let h: Harness;

beforeEach(async () => {
  h = await startTestServer({ admins: ['chefe'], extraHandlers: { 'debug.dump': () => ({ secret: 'tudo' }) } });
});
afterEach(async () => {
  await h.stop();
});

describe('permissions table', () => {
  it('lists every registered command with who may send it (a new command must be added here and in auth/permissions.ts)', () => {
    const registered = h.server.commands.filter((t) => t !== 'debug.dump').sort();
    const table = Object.fromEntries(registered.map((t) => [t, PERMISSIONS[t]]));
    expect(table).toEqual({
      'audit.list': ['administrador'],
      'auth.changePassword': 'user',
      'auth.offlineGrants': 'station',
      'auth.signIn': 'station',
      'auth.signOut': 'station',
      'contingency.enter': ['administrador'],
      'contingency.leave': ['administrador'],
      'contingency.list': 'station',
      'contingency.normal': 'station',
      'contingency.priority.get': 'station',
      'contingency.priority.set': ['administrador'],
      'contingency.report': 'station',
      'import.validate': ['faturista'],
      'locks.acquire': ['faturista'],
      'locks.adminRelease': ['administrador'],
      'locks.list': 'station',
      'locks.reclaim': 'station',
      'locks.release': ['faturista'],
      'locks.resume': ['faturista'],
      'numbers.allocate': ['faturista'],
      'numbers.gaps': 'station',
      'numbers.get': 'station',
      'numbers.inutilize': ['faturista'],
      'numbers.update': 'station',
      'orderNumbers.take': 'station',
      ping: 'station',
      'files.get': 'station',
      'records.get': 'station',
      'records.search': 'station',
      'series.create': ['administrador'],
      'series.list': 'station',
      'series.setNext': ['administrador'],
      'series.suggest': 'station',
      'series.update': ['administrador'],
      'stations.list': ['administrador'],
      'stations.newCode': ['administrador'],
      'stations.revoke': ['administrador'],
      'sync.history': 'station',
      'sync.info': 'station',
      'sync.pull': 'station',
      'sync.push': 'station',
      'sync.snapshot': 'station',
      'users.list': ['administrador'],
      'users.save': ['administrador'],
      'users.unlock': ['administrador'],
    });
  });

  it('a registered command missing from the table is refused to everyone, the administrator included (deny by default)', async () => {
    expect(h.server.commands).toContain('debug.dump');
    const chefe = await h.client('chefe', 'ADM01');
    const station = await h.stationClient('FAT01');
    for (const c of [chefe, station]) {
      const err = await errorOf(() => c.request('debug.dump', {}));
      expect(err.code).toBe('FORBIDDEN');
      expect(err.message).toContain('sem permissão declarada');
    }
  });
});
