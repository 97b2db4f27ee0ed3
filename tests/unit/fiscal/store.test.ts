import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { migrateStore } from '../../../src/core/store/migrate';
import { openStore } from '../../../src/core/store/open';
import { nfeDocuments } from '../../../src/core/store/schema/fiscal';
import { repoRoot, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { EMIT_CNPJ, exampleOrder } from './helpers/orders';

describe('fiscal store tables', () => {
  const tmp = tempDir('comboio-fiscal-store-');
  afterAll(() => tmp.cleanup());

  it('migrates and keeps the signed XML byte for byte in a real SQLite file', () => {
    const store = openStore(join(tmp.dir, 'ws.sqlite'));
    try {
      migrateStore(store, join(repoRoot, 'drizzle'));
      const cert = makeTestCertificate({ cnpj: EMIT_CNPJ, password: 'x' });
      const nfe = emitNfe(exampleOrder('diesel-cpf'), { layout: 'PL_009_V4', certificate: loadA1(cert.pfx, 'x'), schemasDir });
      const inf = nfe.model.infNFe;
      store.db
        .insert(nfeDocuments)
        .values({
          chave: nfe.chave,
          cnpj: inf.emit.CNPJ!,
          serie: Number(inf.ide.serie),
          nNF: Number(inf.ide.nNF),
          layout: nfe.model.layout,
          tpEmis: Number(inf.ide.tpEmis),
          vNFCents: Math.round(Number(inf.total.ICMSTot.vNF) * 100),
          signedXml: nfe.signedXml,
          modelJson: JSON.stringify(nfe.model),
          createdAt: new Date().toISOString(),
        })
        .run();
      const row = store.db.select().from(nfeDocuments).where(eq(nfeDocuments.chave, nfe.chave)).get()!;
      expect(row.signedXml).toBe(nfe.signedXml);
      expect(JSON.parse(row.modelJson).infNFe).toEqual(parseNfe(row.signedXml).infNFe);
    } finally {
      store.close();
    }
  });
});
