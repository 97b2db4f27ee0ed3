import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { PASSWORD, clientCertificate, signedNfe, startSimProcess, type SimProcess } from './harness';

describe('comboio nfe send/status/consult/cce/cancel/inutilizar against the simulator', () => {
  const tmp = tempDir('comboio-sefaz-cli-');
  let sim: SimProcess;
  let common: string[];
  const out = join(tmp.dir, 'out');

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'));
    const cert = clientCertificate(sim);
    writeFileSync(join(tmp.dir, 'a1.pfx'), cert.pfx);
    const nfe = signedNfe(cert, 77);
    writeFileSync(join(tmp.dir, 'nfe.xml'), nfe.xml);
    common = ['--env', 'simulador', '--uf', 'SP', '--cert', join(tmp.dir, 'a1.pfx'), '--password', PASSWORD, '--sim-url', sim.url, '--sim-ca', sim.caFile, '--out', out, '--data', join(tmp.dir, 'ws')];
  });
  afterAll(async () => {
    await sim?.proc.kill();
    tmp.cleanup();
  });

  test('the whole cycle, files written next to each other', async () => {
    const status = await runComboio(['nfe', 'status', ...common]);
    expect(status.stdout).toMatch(/^107 Serviço em Operação/);

    const send = await runComboio(['nfe', 'send', join(tmp.dir, 'nfe.xml'), ...common]);
    expect(send.code).toBe(0);
    const chave = send.stdout.match(/(\d{44}): Autorizada/)![1]!;
    const proc = readFileSync(join(out, `${chave}-procNFe.xml`), 'utf8');
    expect(proc).toContain(readFileSync(join(tmp.dir, 'nfe.xml'), 'utf8'));

    const consult = await runComboio(['nfe', 'consult', chave, ...common]);
    expect(consult.stdout).toMatch(/^100 Autorizado o uso da NF-e/);

    const cce = await runComboio(['nfe', 'cce', chave, '--text', 'Placa correta do veiculo ABC1D23', ...common]);
    expect(cce.stdout).toMatch(/^135 .*sequência 1/);
    expect(existsSync(join(out, `${chave}-110110-01-procEventoNFe.xml`))).toBe(true);

    const short = await runComboio(['nfe', 'cancel', chave, '--reason', 'curta', ...common]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/pelo menos 15/);

    const cancel = await runComboio(['nfe', 'cancel', chave, '--reason', 'Pedido cancelado pelo cliente', ...common]);
    expect(cancel.code).toBe(0);
    expect(existsSync(join(out, `${chave}-110111-01-procEventoNFe.xml`))).toBe(true);

    const inut = await runComboio(['nfe', 'inutilizar', '--serie', '1', '--from', '78', '--to', '80', '--reason', 'Falha na sequencia de numeracao', ...common]);
    expect(inut.stdout).toMatch(/^102 Inutilização de número homologado/);

    const used = await runComboio(['nfe', 'inutilizar', '--serie', '1', '--from', '77', '--to', '77', '--reason', 'Numero ja autorizado antes', ...common]);
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/transmitido/);
  });
});
