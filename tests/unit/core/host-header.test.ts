import { describe, expect, it } from 'vitest';
import { hostAllowed } from '../../../src/web-host/server';

describe('browser host: Host header rule (pure function; the real server is tested in integration/web-host)', () => {
  it('takes its own loopback address and localhost on its port, nothing else', () => {
    expect(hostAllowed('127.0.0.1:5000', '127.0.0.1', 5000)).toBe(true);
    expect(hostAllowed('localhost:5000', '127.0.0.1', 5000)).toBe(true);
    expect(hostAllowed('[::1]:5000', '::1', 5000)).toBe(true);
    expect(hostAllowed('127.0.0.1:5001', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('127.0.0.1', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('evil.example:5000', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('127.0.0.1.evil.example:5000', '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed(undefined, '127.0.0.1', 5000)).toBe(false);
    expect(hostAllowed('192.168.0.10:5000', '192.168.0.10', 5000)).toBe(true);
    expect(hostAllowed('localhost:5000', '192.168.0.10', 5000)).toBe(false);
    // Bound to every interface: IP literals (no DNS name can be rebound onto them).
    expect(hostAllowed('192.168.0.10:5000', '0.0.0.0', 5000)).toBe(true);
    expect(hostAllowed('comboio.lan:5000', '0.0.0.0', 5000)).toBe(false);
  });
});
