import { describe, expect, it } from 'vitest';
import { lanStatusLabel } from '../../../src/core/workstation/runtime';

describe('status bar LAN line (#16: plain ws only with --insecure, and a warning)', () => {
  it('a server on the network reached without TLS is an error with the warning; with TLS it is just online', () => {
    expect(lanStatusLabel('online', { host: '192.168.0.10', tls: false })).toEqual({
      level: 'error',
      label: 'Servidor LAN: conectado (192.168.0.10) — SEM TLS (--insecure): dados em texto claro na rede',
    });
    expect(lanStatusLabel('online', { host: 'servidor-faturamento', tls: false }).level).toBe('error');
    expect(lanStatusLabel('online', { host: '192.168.0.10', tls: true })).toEqual({ level: 'online', label: 'Servidor LAN: conectado (192.168.0.10)' });
  });

  it('loopback (the embedded server) is not the network', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', 'localhost', '::1']) expect(lanStatusLabel('online', { host, tls: false }).level, host).toBe('online');
  });

  it('a refusal says why', () => {
    expect(lanStatusLabel('refused', { host: 'x', tls: true }, { message: 'O acesso desta estação foi revogado.' }).label).toBe('Servidor LAN: recusado — O acesso desta estação foi revogado.');
  });
});
