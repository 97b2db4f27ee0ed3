import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cnpjFromCertificate } from '../../../src/core/fiscal/certificate';
import { parseCte } from '../../../src/core/fiscal/cte/index';
import { validateXml } from '../../../src/core/fiscal/schema-validate';
import { verifyXmlSignature } from '../../../src/core/fiscal/sign';
import { billedNfe, CNPJ as CNPJ_A, startOffice, waitUntil, type Client, type Office, type Station } from '../../helpers/office';
import { runComboio, schemasDir } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';
import { xmlsecVerify } from '../../unit/fiscal/helpers/xmlsec';

// The issue's typical case, every part its own process (LAN server, SEFAZ simulator, two
// stations): the distributor (CNPJ A) bills the fuel; its own transport company (CNPJ B,
// another company with its own A1 and its own CT-e série) emits the CT-e of the freight.
const tmp = tempDir('comboio-cte-transp-');
const CNPJ_B = '22333444000181';
const PASSWORD_B = 'senha-transportadora-b';
const CTE_NS = 'http://www.portalfiscal.inf.br/cte';
const EMITENTE_B = {
  cnpj: CNPJ_B,
  razaoSocial: 'COMBOIO TRANSPORTES LTDA',
  nomeFantasia: 'Comboio Transportes',
  ie: '222333440106',
  crt: 3,
  rntrc: '87654321',
  endereco: { logradouro: 'Rodovia Anhanguera', numero: 'KM 100', bairro: 'Distrito Industrial', cMun: '3509502', municipio: 'Campinas', uf: 'SP', cep: '13000000', fone: null },
};

let office: Office;
let a: Station;
let b: Station;
let admin: Client;
let fat: Client;
let fatB: Client;
let certB = '';

interface SeriesOption { id: string; model: number; serie: number; suggested: number }
interface EmitenteOption { cnpj: string; principal: boolean; rntrc: string; certificado: boolean; aviso: string | null; series: SeriesOption[] }
interface Draft { emitentes: EmitenteOption[]; impedimentos: string[] }
interface Finalized { documentId: string; number: number; status: string; chave: string }
interface Detail { status: string; cnpj?: string; events: { tpEvento: string; cStat: string }[]; cte: { tomadorDocumento: string; canDesacordo: boolean; desacordoBlockedReason: string | null } }
interface SeriesAdmin { cnpj: string; model: number; serie: number; nextNumber: number }

const freight = (nfeIds: string[], s: SeriesOption, more: Record<string, unknown> = {}) => ({
  nfeIds,
  seriesId: s.id,
  suggested: s.suggested,
  requestId: randomUUID(),
  printTo: 'none' as const,
  tomador: 'remetente' as const,
  componentes: [{ nome: 'FRETE PESO', valorCentavos: 120000 }],
  icms: { cst: '00' as const, aliquota: '12' },
  rntrc: '87654321',
  placa: 'ABC1D23',
  ufPlaca: 'SP',
  ...more,
});

async function authorized(c: Client, id: string): Promise<void> {
  await waitUntil(async () => (await c.call<Detail>('documents.get', { id })).status === 'autorizada', 60_000);
}

const signedCte = (chave: string) => readFileSync(join(a.dataDir, 'documentos', `${chave}-cte.xml`), 'utf8');
/** CNPJ in the certificate of the first signature of `xml` (the CTe's, or the eventoCTe's). */
function signerCnpj(xml: string): string | null {
  const b64 = /<X509Certificate>([^<]+)<\/X509Certificate>/.exec(xml)![1]!;
  return cnpjFromCertificate(forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.decode64(b64))));
}

beforeAll(async () => {
  office = await startOffice(tmp.dir);
  a = await office.addStation('estacao-a');
  b = await office.addStation('estacao-b');
  admin = await a.login('admin', 'admin123');
  fat = await a.login('faturista', 'fatura123');
  fatB = await b.login('faturista', 'fatura123');
  // B's A1, issued by the simulator's CA (which it accepts as a client certificate, as SEFAZ accepts ICP-Brasil).
  certB = join(tmp.dir, 'transportadora.pfx');
  const simDir = join(tmp.dir, 'sim');
  const r = await runComboio(['cert', 'make-test', '--cnpj', CNPJ_B, '--out', certB, '--password', PASSWORD_B, '--razao', 'COMBOIO TRANSPORTES LTDA', '--ca-cert', join(simDir, 'ca.pem'), '--ca-key', join(simDir, 'ca-key.pem')]);
  if (r.code !== 0) throw new Error(r.stderr);
}, 240_000);

afterAll(async () => {
  await office?.close();
  tmp.cleanup();
});

describe('CT-e by the transport company: another CNPJ, its own A1 and série', () => {
  let nfe: { id: string; chave: string };
  let cteB: Finalized;
  let seriesB: SeriesOption;

  it('Administração: B as a second emitente, its A1 installed sealed (wrong ones refused), its CT-e série 1', async () => {
    const saved = await admin.call<{ cnpj: string; principal: boolean; certificate: { installed: boolean; warning: string | null } }>('emitentes.save', EMITENTE_B);
    expect(saved).toMatchObject({ cnpj: CNPJ_B, principal: false, certificate: { installed: false } });
    expect(saved.certificate.warning).toMatch(/não instalado nesta estação/);
    const pfxB = readFileSync(certB).toString('base64');
    // The distributor's own A1 is not B's, and a wrong password opens nothing.
    const wrongCnpj = await admin.raw('emitentes.installCertificate', { cnpj: CNPJ_B, pfxBase64: readFileSync(office.certFile).toString('base64'), password: 'senha-teste' });
    expect(wrongCnpj.error!.code).toBe('CERT_CNPJ_MISMATCH');
    const wrongPassword = await admin.raw('emitentes.installCertificate', { cnpj: CNPJ_B, pfxBase64: pfxB, password: 'errada' });
    expect(wrongPassword.ok).toBe(false);
    const faturista = await fat.raw('emitentes.installCertificate', { cnpj: CNPJ_B, pfxBase64: pfxB, password: PASSWORD_B });
    expect(faturista.ok).toBe(false);
    const principal = await admin.raw('emitentes.save', { ...EMITENTE_B, cnpj: CNPJ_A });
    expect(principal.error).toMatchObject({ code: 'INVALID_INPUT', field: 'cnpj' });
    const badIe = await admin.raw('emitentes.save', { ...EMITENTE_B, ie: '123' });
    expect(badIe.error).toMatchObject({ code: 'INVALID_INPUT', field: 'ie' });

    const installed = await admin.call<{ certificate: { installed: boolean; cnpj: string; daysLeft: number } }>('emitentes.installCertificate', { cnpj: CNPJ_B, pfxBase64: pfxB, password: PASSWORD_B });
    expect(installed.certificate).toMatchObject({ installed: true, cnpj: CNPJ_B });
    // Sealed like the main A1: neither the password nor the key's bytes are anywhere in the data folder.
    const keyChunk = readFileSync(certB).subarray(100, 140);
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    for (const f of files(a.dataDir)) {
      const bytes = readFileSync(f);
      expect(bytes.includes(PASSWORD_B), f).toBe(false);
      expect(bytes.includes(keyChunk), f).toBe(false);
    }

    await admin.call('series.save', { cnpj: CNPJ_B, model: 57, serie: 1, emissaoPropria: true, active: true, description: 'CT-e da transportadora' });
    const list = await admin.call<{ cnpj: string; principal: boolean; certificate: { installed: boolean } }[]>('emitentes.list');
    expect(list.map((e) => [e.cnpj, e.principal, e.certificate.installed])).toEqual([[CNPJ_A, true, true], [CNPJ_B, false, true]]);
    const series = await admin.call<SeriesAdmin[]>('series.list');
    expect(series.filter((s) => s.model === 57).map((s) => `${s.cnpj}/${s.serie}`).sort()).toEqual([`${CNPJ_A}/1`, `${CNPJ_B}/1`]);
  });

  it('NF-e under CNPJ A, its CT-e under CNPJ B signed with B’s A1 (xmlsec1 verifies; signer CNPJ = emit/CNPJ)', async () => {
    nfe = await billedNfe(fat);
    expect(nfe.chave.slice(6, 20)).toBe(CNPJ_A);
    const d = await fat.call<Draft>('cte.draft', { nfeIds: [nfe.id] });
    expect(d.impedimentos).toEqual([]);
    // The transport company ready to sign comes first, with its RNTRC; the establishment after.
    expect(d.emitentes.map((e) => [e.cnpj, e.principal, e.certificado, e.aviso])).toEqual([[CNPJ_B, false, true, null], [CNPJ_A, true, true, null]]);
    expect(d.emitentes[0]!.rntrc).toBe('87654321');
    seriesB = d.emitentes[0]!.series[0]!;
    expect(seriesB).toMatchObject({ model: 57, serie: 1, suggested: 1 });

    cteB = await fat.call<Finalized>('cte.emit', freight([nfe.id], seriesB));
    expect(cteB.number).toBe(1);
    expect(cteB.chave.slice(6, 20)).toBe(CNPJ_B);
    await authorized(fat, cteB.documentId);
    const xml = signedCte(cteB.chave);
    const m = parseCte(xml).infCte;
    expect(m.emit.CNPJ).toBe(CNPJ_B);
    expect(m.emit.xNome).toBe('COMBOIO TRANSPORTES LTDA');
    expect(m.rem?.CNPJ).toBe(CNPJ_A);
    expect(m.infCTeNorm.infDoc?.infNFe?.map((n) => n.chave)).toEqual([nfe.chave]);
    expect(verifyXmlSignature(xml).valid).toBe(true);
    expect(signerCnpj(xml)).toBe(m.emit.CNPJ);
    const simCa = readFileSync(join(tmp.dir, 'sim', 'ca.pem'), 'utf8');
    expect(xmlsecVerify(xml, simCa, { tag: 'infCte', ns: CTE_NS }).code).toBe(0);
    // Trusting only A's certificate, the same signature does not verify: B's key signed it.
    expect(xmlsecVerify(xml, readFileSync(join(tmp.dir, 'a1.crt.pem'), 'utf8'), { tag: 'infCte', ns: CTE_NS }).code).not.toBe(0);
    const proc = readFileSync(join(a.dataDir, 'documentos', `${cteB.chave}-procCTe.xml`), 'utf8');
    expect(validateXml(proc, { schemasDir, layout: 'PL_CTe_400', schemaFile: 'procCTe_v4.00.xsd' }).issues).toEqual([]);
    expect(proc).toContain('<cStat>100</cStat>');
  });

  it('numbering per emitente: A’s CT-e série 1 and B’s série 1 are separate counters at the LAN server', async () => {
    const other = await billedNfe(fat);
    const d = await fat.call<Draft>('cte.draft', { nfeIds: [other.id] });
    const seriesA = d.emitentes.find((e) => e.cnpj === CNPJ_A)!.series[0]!;
    expect(seriesA.suggested).toBe(1);
    expect(d.emitentes.find((e) => e.cnpj === CNPJ_B)!.series[0]!.suggested).toBe(2);
    const cteA = await fat.call<Finalized>('cte.emit', freight([other.id], seriesA));
    expect(cteA.number).toBe(1);
    expect(cteA.chave.slice(6, 20)).toBe(CNPJ_A);
    await authorized(fat, cteA.documentId);
    expect(signerCnpj(signedCte(cteA.chave))).toBe(CNPJ_A);
    const series = await admin.call<SeriesAdmin[]>('series.list');
    const next = (cnpj: string) => series.find((s) => s.cnpj === cnpj && s.model === 57 && s.serie === 1)!.nextNumber;
    expect([next(CNPJ_A), next(CNPJ_B)]).toEqual([2, 2]);
  });

  it('events of B’s CT-e go with B’s A1; the desacordo of the tomador (A, the remetente) with A’s', async () => {
    await fat.call('cte.cce', { id: cteB.documentId, correcoes: [{ grupo: 'compl', campo: 'xObs', valor: 'ENTREGA NO TANQUE 2' }] });
    const cce = readFileSync(join(a.dataDir, 'documentos', `${cteB.chave}-110110-01-procEventoCTe.xml`), 'utf8');
    expect(cce).toContain('<cStat>135</cStat>');
    expect(signerCnpj(cce)).toBe(CNPJ_B);
    const before = await fat.call<Detail>('cte.get', { id: cteB.documentId });
    expect(before.cte.tomadorDocumento).toBe(CNPJ_A);
    expect(before.cte.canDesacordo).toBe(true);
    const after = await fat.call<Detail>('cte.desacordo', { id: cteB.documentId, observacao: 'valor do frete diverge do contratado' });
    expect(after.events.map((e) => [e.tpEvento, e.cStat])).toEqual([['110110', '135'], ['610110', '135']]);
    const desacordo = readFileSync(join(a.dataDir, 'documentos', `${cteB.chave}-610110-01-procEventoCTe.xml`), 'utf8');
    expect(signerCnpj(desacordo)).toBe(CNPJ_A);
  });

  it('tomador expedidor (toma3 = 1) and "outros" (toma4 with its own data) from the cadastro; a missing party is refused', async () => {
    const n1 = await billedNfe(fat);
    const missing = await fat.raw('cte.emit', freight([n1.id], seriesB, { tomador: 'recebedor' }));
    expect(missing.error).toMatchObject({ code: 'INVALID_INPUT', field: 'recebedorId' });
    expect(missing.error!.message).toMatch(/Escolha o recebedor/);
    const s1 = (await fat.call<Draft>('cte.draft', { nfeIds: [n1.id] })).emitentes[0]!.series[0]!;
    const r1 = await fat.call<Finalized>('cte.emit', freight([n1.id], s1, { tomador: 'expedidor', expedidorId: 'cli-posto-mineiro' }));
    await authorized(fat, r1.documentId);
    const m1 = parseCte(signedCte(r1.chave)).infCte;
    expect(m1.ide.toma3).toEqual({ toma: '1' });
    expect(m1.exped?.CNPJ).toBe('33000167000101');
    // The service starts where the expedidor (in MG) hands the fuel over: interstate CFOP.
    expect([m1.ide.UFIni, m1.ide.UFFim, m1.ide.CFOP]).toEqual(['MG', 'SP', '6353']);
    expect((await fat.call<Detail>('cte.get', { id: r1.documentId })).cte.tomadorDocumento).toBe('33000167000101');

    const n2 = await billedNfe(fat);
    const s2 = (await fat.call<Draft>('cte.draft', { nfeIds: [n2.id] })).emitentes[0]!.series[0]!;
    const r2 = await fat.call<Finalized>('cte.emit', freight([n2.id], s2, { tomador: 'outro', tomadorId: 'cli-fazenda-boa-vista' }));
    await authorized(fat, r2.documentId);
    const m2 = parseCte(signedCte(r2.chave)).infCte;
    expect(m2.ide.toma3).toBeUndefined();
    expect(m2.ide.toma4).toMatchObject({ toma: '4', CPF: '52998224725' });
    expect(m2.ide.toma4?.enderToma?.cMun).toMatch(/^\d{7}$/);
    const det = await fat.call<Detail>('cte.get', { id: r2.documentId });
    expect(det.cte.tomadorDocumento).toBe('52998224725');
    // Nobody here holds that tomador's certificate: no desacordo from this office.
    expect(det.cte.canDesacordo).toBe(false);
  });

  it('station b: B’s data replicated, its A1 not — offered with the reason, emission refused, no number used', async () => {
    const n = await billedNfe(fatB);
    const d = await waitUntil(async () => {
      const x = await fatB.call<Draft>('cte.draft', { nfeIds: [n.id] });
      return x.emitentes.some((e) => e.cnpj === CNPJ_B) ? x : null;
    });
    const eb = d.emitentes.find((e) => e.cnpj === CNPJ_B)!;
    expect(eb.certificado).toBe(false);
    expect(eb.aviso).toMatch(/não instalado nesta estação/);
    expect(d.emitentes[0]!.cnpj).toBe(CNPJ_A);
    const before = eb.series[0]!.suggested;
    const r = await fatB.raw('cte.emit', freight([n.id], eb.series[0]!));
    expect(r.error).toMatchObject({ code: 'CERTIFICATE_MISSING', field: 'seriesId' });
    expect(r.error!.message).toMatch(/COMBOIO TRANSPORTES LTDA não instalado nesta estação/);
    const series = await admin.call<SeriesAdmin[]>('series.list');
    expect(series.find((s) => s.cnpj === CNPJ_B && s.model === 57)!.nextNumber).toBe(before);
  });
});
