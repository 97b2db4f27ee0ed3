import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadA1, makeTestCertificate } from '../../../src/core/fiscal/certificate';
import { emitNfe } from '../../../src/core/fiscal/emit';
import { parseCte } from '../../../src/core/fiscal/cte';
import { parseNfe } from '../../../src/core/fiscal/parse';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { exampleOrder } from '../../unit/fiscal/helpers/orders';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

const tmp = tempDir('comboio-cte-cli-');
afterAll(() => tmp.cleanup());
const CTE_NS = 'http://www.portalfiscal.inf.br/cte';

describe('comboio cte emit', () => {
  // Certificates and NF-e are made in-process: each CLI spawn costs seconds on a loaded CI box.
  const carrier = join(tmp.dir, 'transportadora.pfx');
  writeFileSync(carrier, makeTestCertificate({ cnpj: '22333444000181', password: 'senha' }).pfx);

  it('emits the example order: <chave>-cte.xml, schema-valid, verified by xmlsec1', async () => {
    const out = join(tmp.dir, 'ex');
    const r = await runComboio(['cte', 'emit', '--order', 'resources/examples/cte/frete-diesel-posto.json', '--cert', carrier, '--password', 'senha', '--schemas', schemasDir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CT-e 1\/501 assinado e válido/);
    const [file] = readdirSync(out);
    expect(file).toMatch(/^\d{20}57\d{22}-cte\.xml$/);
    const xml = readFileSync(join(out, file!), 'utf8');
    expect(xmlsecVerify(xml, loadA1(readFileSync(carrier), 'senha').certPem, { tag: 'infCte', ns: CTE_NS }).code).toBe(0);
  });

  it('emits one CT-e from two NF-e files: keys, parties and cargo come from the notes', async () => {
    const distributor = loadA1(makeTestCertificate({ cnpj: '11222333000181', password: 'x' }).pfx, 'x');
    const nfeDir = join(tmp.dir, 'nfe');
    mkdirSync(nfeDir);
    for (const numero of [1001, 1002]) {
      const nfe = emitNfe({ ...exampleOrder('diesel-cst61-cnpj'), numero }, { layout: 'PL_009_V4', certificate: distributor, schemasDir });
      writeFileSync(join(nfeDir, `${nfe.chave}-nfe.xml`), nfe.signedXml);
    }
    const nfeFiles = readdirSync(nfeDir).map((f) => join(nfeDir, f));
    const out = join(tmp.dir, 'from-nfe');
    const r = await runComboio(['cte', 'emit', '--order', 'resources/examples/cte/frete-base.json', ...nfeFiles.flatMap((f) => ['--nfe', f]), '--cert', carrier, '--password', 'senha', '--schemas', schemasDir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NF-e transportadas: 2/);
    const cte = parseCte(readFileSync(join(out, readdirSync(out)[0]!), 'utf8'));
    const nfes = nfeFiles.map((f) => parseNfe(readFileSync(f, 'utf8')));
    expect(cte.infCte.infCTeNorm.infDoc?.infNFe?.map((n) => n.chave).sort()).toEqual(nfes.map((n) => n.chave).sort());
    expect(cte.infCte.rem?.CNPJ).toBe('11222333000181');
    expect(cte.infCte.dest?.CNPJ).toBe(nfes[0]!.infNFe.dest?.CNPJ);
    const vNF = nfes.reduce((a, n) => a + Math.round(Number(n.infNFe.total.ICMSTot.vNF) * 100), 0);
    expect(Math.round(Number(cte.infCte.infCTeNorm.infCarga.vCarga) * 100)).toBe(vNF);
  });
});
