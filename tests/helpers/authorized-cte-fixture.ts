import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadA1, makeTestCertificate } from '../../src/core/fiscal/certificate';
import { chaveDv } from '../../src/core/fiscal/chave';
import { emitCte, type CteOrder } from '../../src/core/fiscal/cte';
import { compressCte, cteProc, readRetCTe } from '../../src/core/sefaz/cte-messages';
import { CteSimulatorServices } from '../../src/sefaz-sim/cte-services';
import { DEFAULT_FAULTS } from '../../src/sefaz-sim/faults';
import { schemaCheckFor } from '../../src/sefaz-sim/schema-check';
import { SimulatorStore } from '../../src/sefaz-sim/store';
import { CARRIER_CNPJ, freight } from '../unit/fiscal/helpers/cte-orders';

/**
 * An authorized cteProc without a network: the simulator's own CT-e services (schema,
 * signature, numbering rules) decide in-process, and the protCTe they return is wrapped
 * exactly as the outbox does.
 */
export function authorizedCteFixture(opts: { schemasDir: string; nfeCount?: number; change?: (o: CteOrder) => void }): { chave: string; signedXml: string; cteProcXml: string } {
  const order = freight(opts.change);
  delete order.emissao;
  const first = order.documentos.nfe[0]!.chave;
  for (let i = order.documentos.nfe.length; i < (opts.nfeCount ?? order.documentos.nfe.length); i++) {
    // Distinct valid NF-e keys of the same issuer (numbers 5000+i).
    const base = `${first.slice(0, 25)}${String(5000 + i).padStart(9, '0')}1${String(10_000_000 + i)}`;
    order.documentos.nfe.push({ chave: base + String(chaveDv(base)) });
  }
  const cte = emitCte(order, { certificate: loadA1(makeTestCertificate({ cnpj: CARRIER_CNPJ, password: 'x' }).pfx, 'x'), schemasDir: opts.schemasDir });
  const dir = mkdtempSync(join(tmpdir(), 'comboio-cte-fixture-'));
  const store = new SimulatorStore(dir);
  try {
    const services = new CteSimulatorServices(store, () => DEFAULT_FAULTS, schemaCheckFor(opts.schemasDir, 'PL_CTe_400'), Math.random);
    const ret = readRetCTe(services.handle('recepcaoSinc', compressCte(cte.signedXml), { certCnpj: CARRIER_CNPJ }));
    if (ret.prot?.cStat !== '100') throw new Error(`fixture not authorized: ${ret.cStat} ${ret.prot?.xMotivo ?? ret.xMotivo}`);
    return { chave: cte.chave, signedXml: cte.signedXml, cteProcXml: cteProc(cte.signedXml, ret.prot.raw) };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
