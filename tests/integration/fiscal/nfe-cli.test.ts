import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadA1 } from '../../../src/core/fiscal/certificate';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { EXAMPLES } from '../../unit/fiscal/helpers/orders';
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

  it('emits every example in one run: files named by key, schema-valid, verified by xmlsec1', async () => {
    const out = join(tmp.dir, 'ok');
    const r = await runComboio(['nfe', 'emit', ...EXAMPLES.flatMap((ex) => ['--order', example(ex)]), '--cert', good, '--password', 'senha', '--schemas', schemasDir, '--out', out, '--layout', 'PL_010_V1.30']);
    // The only messages are notices (the interstate lubricant note keeps its plate in infCpl, rule 868).
    expect(r.stderr.split('\n').filter((l) => l && !l.startsWith('Aviso: '))).toEqual([]);
    expect(r.stderr).toMatch(/^Aviso: Operação interestadual: .*rejeição 868/m);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/assinada e válida/g)).toHaveLength(EXAMPLES.length);
    const files = readdirSync(out);
    expect(files).toHaveLength(EXAMPLES.length);
    const certPem = loadA1(readFileSync(good), 'senha').certPem;
    for (const f of files) {
      expect(f).toMatch(/^\d{44}-nfe\.xml$/);
      const xml = readFileSync(join(out, f), 'utf8');
      expect(xml.startsWith('<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe versao="4.00" Id="NFe' + f.slice(0, 44))).toBe(true);
      expect(xmlsecVerify(xml, certPem).code).toBe(0);
    }
    for (const f of files.slice(0, 3)) {
      const v = await runComboio(['nfe', 'validate', join(out, f), '--schemas', schemasDir]);
      expect(v.stdout).toMatch(/XML válido/);
      expect(v.code).toBe(0);
    }
  });

  it('builds a devolução from the XML of an earlier note and emits it (the example devolucao-diesel-cpf)', async () => {
    const out = join(tmp.dir, 'ok');
    const original = readdirSync(out).map((f) => join(out, f)).find((f) => readFileSync(f, 'utf8').includes('<nNF>1003</nNF>'))!;
    const chave = original.slice(-52, -8);
    const orderFile = join(tmp.dir, 'devolucao.json');
    const d = await runComboio(['nfe', 'devolucao', '--from', original, '--cnpj', '11.222.333/0001-81', '--serie', '1', '--numero', '1010', '--item', '1:1000.5', '--motivo', 'Tanque do cliente sem capacidade para o volume total', '--emissao', '2026-11-22T08:10:00-03:00', '--out', orderFile]);
    expect(d.stderr).toBe('');
    expect(d.code).toBe(0);
    const built = JSON.parse(readFileSync(orderFile, 'utf8'));
    // The committed example is this command's output for an earlier emission of diesel-cpf: only the key differs.
    const committed = JSON.parse(readFileSync(example('devolucao-diesel-cpf'), 'utf8'));
    const committedKey = committed.referencias[0].nfe as string;
    expect(JSON.parse(JSON.stringify(built).replaceAll(chave, committedKey))).toEqual(committed);
    const e = await runComboio(['nfe', 'emit', '--order', orderFile, '--cert', good, '--password', 'senha', '--schemas', schemasDir, '--out', join(tmp.dir, 'dev')]);
    expect(e.code).toBe(0);
    const xml = readFileSync(join(tmp.dir, 'dev', readdirSync(join(tmp.dir, 'dev'))[0]!), 'utf8');
    for (const part of [`<NFref><refNFe>${chave}</refNFe></NFref>`, '<tpNF>0</tpNF>', '<finNFe>4</finNFe>', '<CFOP>1662</CFOP>', '<qCom>1000.5000</qCom>', '<tPag>90</tPag><vPag>0.00</vPag>']) expect(xml).toContain(part);
  });

  it('dates dhEmi in the emitente\'s UF (Amazonas −04:00, Acre −05:00) on a machine set to São Paulo time', async () => {
    const at = (uf: 'AM' | 'AC') => {
      const o = JSON.parse(readFileSync(example('diesel-cpf'), 'utf8'));
      delete o.emissao;
      o.numero = uf === 'AM' ? 2001 : 2002;
      o.emitente.ie = uf === 'AM' ? '041234567' : '0100482300112';
      o.emitente.endereco = uf === 'AM'
        ? { logradouro: 'AVENIDA DO TURISMO', numero: '100', bairro: 'TARUMA', codigoMunicipio: '1302603', municipio: 'MANAUS', uf: 'AM', cep: '69041010' }
        : { logradouro: 'ESTRADA DO AEROPORTO', numero: '200', bairro: 'DISTRITO INDUSTRIAL', codigoMunicipio: '1200401', municipio: 'RIO BRANCO', uf: 'AC', cep: '69914000' };
      const file = join(tmp.dir, `tz-${uf}.json`);
      writeFileSync(file, JSON.stringify(o));
      return file;
    };
    const before = Date.now();
    const r = await runComboio(['nfe', 'emit', '--order', at('AM'), '--order', at('AC'), '--cert', good, '--password', 'senha', '--schemas', schemasDir, '--out', join(tmp.dir, 'tz')], { env: { TZ: 'America/Sao_Paulo' } });
    expect(r.code).toBe(0);
    const dates = [...r.stdout.matchAll(/Emissão: (\S+)/g)].map((m) => m[1]!);
    expect(dates).toHaveLength(2);
    expect(dates[0]).toMatch(/-04:00$/);
    expect(dates[1]).toMatch(/-05:00$/);
    for (const d of dates) {
      const t = Date.parse(d);
      expect(t).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(t).toBeLessThanOrEqual(Date.now());
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
