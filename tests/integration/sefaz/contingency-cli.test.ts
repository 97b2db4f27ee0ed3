import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseChave } from '../../../src/core/fiscal/chave';
import { runComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { PASSWORD, clientCertificate, signedNfe, startSimProcess, type SimProcess } from './harness';

describe('comboio sefaz-sim --target/--svc-ativo and comboio nfe send --contingencia (both as processes)', () => {
  const tmp = tempDir('comboio-contingency-cli-');
  let sim: SimProcess;
  let common: string[];
  let cert: ReturnType<typeof clientCertificate>;
  const out = join(tmp.dir, 'out');

  beforeAll(async () => {
    // The UF authorizer refuses connections from the start; SVC active for SP.
    sim = await startSimProcess(join(tmp.dir, 'sim'), ['--mode', 'recusando', '--target', 'autorizador', '--svc-ativo', 'SP,RJ']);
    cert = clientCertificate(sim);
    writeFileSync(join(tmp.dir, 'a1.pfx'), cert.pfx);
    common = ['--env', 'simulador', '--uf', 'SP', '--cert', join(tmp.dir, 'a1.pfx'), '--password', PASSWORD, '--sim-url', sim.url, '--sim-ca', sim.caFile, '--out', out, '--data', join(tmp.dir, 'ws'), '--timeout', '1500', '--wait', '2'];
  });
  afterAll(async () => {
    await sim?.proc.kill();
    tmp.cleanup();
  });

  test('the simulator reports each service with its own mode and the SVC activation', async () => {
    const st = (await (await fetch(`${sim.admin}/admin/state`)).json()) as { targets: Record<string, { faults: { mode: string }; listening: boolean }>; svcAtivo: string[] };
    expect(st.targets.autorizador).toMatchObject({ faults: { mode: 'recusando' }, listening: false });
    expect(st.targets['svc-an']).toMatchObject({ faults: { mode: 'normal' }, listening: true });
    expect(st.svcAtivo).toEqual(['SP', 'RJ']);
    const bad = await fetch(`${sim.admin}/admin/faults`, { method: 'POST', body: JSON.stringify({ mode: 'normal', target: 'svc-xx' }) });
    expect(bad.status).toBe(400);
  });

  test('auto: SVC-AN authorizes, <chave>-procNFe.xml under the tpEmis 6 key; --contingencia epec next: <chave>-epec.xml; nenhuma: 105', async () => {
    const nfe = signedNfe(cert, 41);
    writeFileSync(join(tmp.dir, 'a.xml'), nfe.xml);
    const a = await runComboio(['nfe', 'send', join(tmp.dir, 'a.xml'), ...common]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const chave = a.stdout.match(/(\d{44}): Autorizada em contingência SVC — protocolo \d{15}/)![1]!;
    expect(parseChave(chave).tpEmis).toBe(6);
    expect(a.stdout).toMatch(/entrada: NF-e: conexão recusada/);
    expect(a.stdout).toMatch(/Códigos: 108, 100/);
    expect(existsSync(join(out, `${chave}-procNFe.xml`))).toBe(true);
    expect(existsSync(join(out, `${nfe.chave}-procNFe.xml`))).toBe(false);

    writeFileSync(join(tmp.dir, 'b.xml'), signedNfe(cert, 42).xml);
    const b = await runComboio(['nfe', 'send', join(tmp.dir, 'b.xml'), ...common, '--contingencia', 'epec']);
    expect(b.code).toBe(0);
    const epec = b.stdout.match(/(\d{44}): 136 – EPEC registrado/)![1]!;
    expect(b.stdout).toMatch(/Códigos: 109, 136/);
    expect(readFileSync(join(out, `${epec}-epec.xml`), 'utf8')).toContain('<tpEvento>110140</tpEvento>');

    writeFileSync(join(tmp.dir, 'c.xml'), signedNfe(cert, 43).xml);
    const c = await runComboio(['nfe', 'send', join(tmp.dir, 'c.xml'), ...common, '--contingencia', 'nenhuma']);
    expect(c.code).toBe(3);
    expect(c.stdout).toMatch(/105 – Documento pendente/);

    const bad = await runComboio(['nfe', 'send', join(tmp.dir, 'c.xml'), ...common, '--contingencia', 'scan']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--contingencia deve ser/);

    // The UF returns: the next send polls the status, leaves contingency and reconciles the EPEC.
    const r = await fetch(`${sim.admin}/admin/faults`, { method: 'POST', body: JSON.stringify({ mode: 'normal', target: 'autorizador' }) });
    expect(r.ok).toBe(true);
    writeFileSync(join(tmp.dir, 'd.xml'), signedNfe(cert, 44).xml);
    const d = await runComboio(['nfe', 'send', join(tmp.dir, 'd.xml'), ...common]);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/saida: NF-e: Autorizador da UF respondeu 107/);
    expect(d.stdout).toMatch(/: Autorizada — protocolo/);
    expect(existsSync(join(out, `${epec}-procNFe.xml`))).toBe(true);
  });
});
