import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadA1 } from '../../../src/core/fiscal/certificate';
import { emitCte } from '../../../src/core/fiscal/cte';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { CARRIER_CNPJ, freight } from '../../unit/fiscal/helpers/cte-orders';
import { PASSWORD, clientCertificate, startSimProcess, type SimProcess } from './harness';

// Each CLI run is a process of its own (seconds on a loaded box): one send, one event.
describe('comboio cte send / entrega against the simulator process', () => {
  const tmp = tempDir('comboio-cte-sefaz-cli-');
  let sim: SimProcess;
  let common: string[];
  const out = join(tmp.dir, 'out');
  let chave = '';

  beforeAll(async () => {
    sim = await startSimProcess(join(tmp.dir, 'sim'));
    const cert = clientCertificate(sim, CARRIER_CNPJ);
    writeFileSync(join(tmp.dir, 'a1.pfx'), cert.pfx);
    const order = freight();
    delete order.emissao;
    const cte = emitCte(order, { certificate: loadA1(cert.pfx, PASSWORD), schemasDir });
    chave = cte.chave;
    writeFileSync(join(tmp.dir, `${chave}-cte.xml`), cte.signedXml);
    writeFileSync(join(tmp.dir, 'canhoto.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]));
    common = ['--env', 'simulador', '--uf', 'SP', '--cert', join(tmp.dir, 'a1.pfx'), '--password', PASSWORD, '--sim-url', sim.url, '--sim-ca', sim.caFile, '--out', out, '--data', join(tmp.dir, 'ws')];
  });
  afterAll(async () => {
    await sim?.proc.kill();
    tmp.cleanup();
  });

  test('send writes <chave>-procCTe.xml around the exact signed bytes; entrega registers the comprovante', async () => {
    const send = await runComboio(['cte', 'send', join(tmp.dir, `${chave}-cte.xml`), ...common]);
    expect(send.stderr).toBe('');
    expect(send.code).toBe(0);
    expect(send.stdout).toMatch(new RegExp(`${chave}: Autorizada — protocolo \\d{15}`));
    expect(readFileSync(join(out, `${chave}-procCTe.xml`), 'utf8')).toContain(readFileSync(join(tmp.dir, `${chave}-cte.xml`), 'utf8'));

    const entrega = await runComboio(['cte', 'entrega', chave, '--image', join(tmp.dir, 'canhoto.jpg'), '--doc', '12345678909', '--name', 'MARIA RECEBEDORA', '--when', '2026-11-20T16:40:00-03:00', ...common]);
    expect(entrega.stderr).toBe('');
    expect(entrega.stdout).toMatch(/^135 Evento registrado e vinculado a CT-e — protocolo \d{15}/);
    expect(existsSync(join(out, `${chave}-110180-01-procEventoCTe.xml`))).toBe(true);
  });
});
