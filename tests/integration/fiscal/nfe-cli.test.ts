import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadA1 } from '../../../src/core/fiscal/certificate';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

const tmp = tempDir('comboio-nfe-cli-');
afterAll(() => tmp.cleanup());
const example = (name: string) => join('resources', 'examples', `${name}.json`);
const DAY = 86_400_000;

async function makeCert(file: string, cnpj: string, extra: string[] = []) {
  const r = await runComboio(['cert', 'make-test', '--cnpj', cnpj, '--out', file, '--password', 'senha', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe('comboio cert / nfe emit / nfe validate', () => {
  const good = join(tmp.dir, 'a1.pfx');

  it('makes a test certificate carrying the CNPJ', async () => {
    await makeCert(good, '11222333000181');
    expect(loadA1(readFileSync(good), 'senha').cnpj).toBe('11222333000181');
  });

  it('emits the three examples: files named by key, schema-valid, verified by xmlsec1', async () => {
    const out = join(tmp.dir, 'ok');
    for (const ex of ['diesel-cst61-cnpj', 'gasolina-lubrificante-descontos', 'diesel-cpf']) {
      const r = await runComboio(['nfe', 'emit', '--order', example(ex), '--cert', good, '--password', 'senha', '--schemas', schemasDir, '--out', out, '--layout', 'PL_010_V1.30']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/assinada e válida/);
    }
    const files = readdirSync(out);
    expect(files).toHaveLength(3);
    for (const f of files) {
      expect(f).toMatch(/^\d{44}-nfe\.xml$/);
      const xml = readFileSync(join(out, f), 'utf8');
      expect(xml.startsWith('<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe versao="4.00" Id="NFe' + f.slice(0, 44))).toBe(true);
      expect(xmlsecVerify(xml, loadA1(readFileSync(good), 'senha').certPem).code).toBe(0);
      const v = await runComboio(['nfe', 'validate', join(out, f), '--schemas', schemasDir]);
      expect(v.stdout).toMatch(/XML válido/);
      expect(v.code).toBe(0);
    }
  });

  it('nfe validate reports a schema error with field and item in Portuguese', async () => {
    const out = join(tmp.dir, 'ok');
    const f = join(out, readdirSync(out)[0]!);
    const bad = join(tmp.dir, 'bad.xml');
    writeFileSync(bad, readFileSync(f, 'utf8').replace(/<NCM>(\d+)<\/NCM>/, '<NCM>2710</NCM>'));
    const v = await runComboio(['nfe', 'validate', bad, '--schemas', schemasDir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/Item 1, NCM \(NCM\): valor "2710" fora do formato exigido/);
    expect(v.stdout).toMatch(/Assinatura: .*DigestValue/);
  });

  it('refuses wrong password, expired certificate and another CNPJ — and writes nothing', async () => {
    const expired = join(tmp.dir, 'expired.pfx');
    await makeCert(expired, '11222333000181', ['--not-before', new Date(Date.now() - 400 * DAY).toISOString(), '--days', '30']);
    const other = join(tmp.dir, 'other.pfx');
    await makeCert(other, '99888777000100');
    const out = join(tmp.dir, 'bad');
    const attempts: Array<[string, string, RegExp]> = [
      [good, 'errada', /Senha do certificado incorreta\. \[CERT_WRONG_PASSWORD\]/],
      [expired, 'senha', /Certificado vencido em .* \[CERT_EXPIRED\]/],
      [other, 'senha', /pertence ao CNPJ 99888777000100.* \[CERT_CNPJ_MISMATCH\]/],
    ];
    for (const [cert, password, message] of attempts) {
      const r = await runComboio(['nfe', 'emit', '--order', example('diesel-cst61-cnpj'), '--cert', cert, '--password', password, '--schemas', schemasDir, '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const badOrder = join(tmp.dir, 'bad-order.json');
    const order = JSON.parse(readFileSync(example('diesel-cst61-cnpj'), 'utf8'));
    order.itens[0].quantidade = '0';
    writeFileSync(badOrder, JSON.stringify(order));
    const r = await runComboio(['nfe', 'emit', '--order', badOrder, '--cert', good, '--password', 'senha', '--schemas', schemasDir, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Quantidade do item 1 deve ser maior que zero.*\[ORDER_INVALID\]/);
    expect(() => readdirSync(out)).toThrow();
  });
});
