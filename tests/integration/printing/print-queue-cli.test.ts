import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import { defaultProjectPaths } from '../../../src/core/paths';
import { danfeFromXml, PrintersRepo, PrintQueue, SERIAL_DEFAULTS } from '../../../src/core/printing/index';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { runComboio } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

describe('comboio print queue | retry (#22 item 24)', () => {
  it('lists the jobs with state and reason, and "retry" prints a failed job again', async () => {
    const tmp = tempDir('comboio-qcli-');
    const dataDir = join(tmp.dir, 'ws');
    const store = openStore(join(dataDir, 'comboio.db'));
    migrateStore(store, defaultProjectPaths().migrationsDir);
    const printers = new PrintersRepo(store.db, systemClock);
    const queue = new PrintQueue({ db: store.db, clock: systemClock, resourcesDir: defaultProjectPaths().resourcesDir, printers, loadDanfe: danfeFromXml });
    printers.save({ name: 'Balcao', settings: { kind: 'serial', ...SERIAL_DEFAULTS, path: join(tmp.dir, 'COM9') }, calibration: { dxMm: 0, dyMm: 0 } });
    const job = await queue.enqueue({ printer: printers.get('Balcao'), kind: 'calibracao', requestedBy: 'ana' });
    queue.start();
    expect((await queue.waitFor(job.id)).state).toBe('failed');
    await queue.stop();
    // The cable was on another port: the printer is fixed, then the job is retried from the CLI.
    printers.save({ name: 'Balcao', settings: { kind: 'file', path: join(tmp.dir, 'saida') }, calibration: { dxMm: 0, dyMm: 0 } });
    store.close();

    const listed = await runComboio(['print', 'queue', '--data', dataDir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^nº ${job.id}  falhou  Página de calibração  em Balcao  \\(ana, .+\\) — Porta serial não encontrada: .*Nada foi impresso`, 'm'));

    // Nothing left whole: "resume" refuses and points to "Tentar de novo"; a sheet the job lacks is named.
    const resume = await runComboio(['print', 'resume', String(job.id), '--data', dataDir]);
    expect(resume.code).not.toBe(0);
    expect(resume.stderr).toContain(`O trabalho ${job.id} não tem folhas impressas inteiras: use "Tentar de novo".`);
    const sheet9 = await runComboio(['print', 'resume', String(job.id), '--folha', '9', '--data', dataDir]);
    expect(sheet9.stderr).toContain(`Folha 9 não existe: o trabalho ${job.id} tem 1 folha(s).`);
    const retried = await runComboio(['print', 'retry', String(job.id), '--data', dataDir]);
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`Página de calibração: 1 folha\\(s\\), \\d+ bytes enviados para Balcao \\(trabalho nº ${job.id}\\)`));
    expect(readdirSync(join(tmp.dir, 'saida'))).toHaveLength(1);

    const again = await runComboio(['print', 'retry', String(job.id), '--data', dataDir]);
    expect(again.code).not.toBe(0);
    // The message names the action as the button does ("Tentar de novo") and the state in Portuguese.
    expect(again.stderr).toContain('"Tentar de novo" só vale para um trabalho com falha ou cancelado (este está impresso).');
    tmp.cleanup();
  });
});
