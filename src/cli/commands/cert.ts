import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadA1, makeTestCa, makeTestCertificate } from '../../core/fiscal/certificate';
import { isValidCnpj } from '../../core/fiscal/documents';
import { parseFlags, requireFlag, UsageError, type Command, CERT_PASSWORD_FLAGS, CERT_PASSWORD_USAGE, certPassword } from '../command';
import { groupCommand } from '../group';

const DAY = 86_400_000;

function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new UsageError(`Data inválida em --${flag}: ${value}`);
  return d;
}

const makeTest: Command = {
  name: 'make-test',
  summary: 'Gera um certificado A1 de teste (PKCS#12) com o CNPJ no padrão ICP-Brasil',
  usage: `Uso: comboio cert make-test --cnpj CNPJ --out a1.pfx --password SENHA [opções]

  --cnpj CNPJ          CNPJ do titular (numérico ou alfanumérico)
  --out ARQUIVO        arquivo .pfx a gravar
  --password SENHA     senha do PKCS#12
  --razao NOME         razão social no CN (padrão EMPRESA DE TESTE LTDA)
  --not-before DATA    início da validade (ISO; padrão ontem)
  --days N             dias de validade (padrão 365)
  --ca-cert PEM        emitir pela AC deste certificado (padrão: autoassinado)
  --ca-key PEM         chave privada da AC
  --pem PREFIXO        também grava PREFIXO.crt.pem e PREFIXO.key.pem

Só para homologação e testes: não é um certificado ICP-Brasil.`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      cnpj: { type: 'string' },
      out: { type: 'string' },
      password: { type: 'string' },
      razao: { type: 'string' },
      'not-before': { type: 'string' },
      days: { type: 'string' },
      'ca-cert': { type: 'string' },
      'ca-key': { type: 'string' },
      pem: { type: 'string' },
    });
    const cnpj = requireFlag(values.cnpj, 'cnpj');
    if (!isValidCnpj(cnpj)) throw new UsageError(`CNPJ inválido: ${cnpj}`);
    const out = resolve(requireFlag(values.out, 'out'));
    const password = requireFlag(values.password, 'password');
    const days = values.days === undefined ? 365 : Number(values.days);
    if (!Number.isInteger(days) || days <= 0) throw new UsageError(`Número de dias inválido: ${values.days}`);
    const notBefore = parseDate(values['not-before'], 'not-before') ?? new Date(Date.now() - DAY);
    if (!!values['ca-cert'] !== !!values['ca-key']) throw new UsageError('Informe --ca-cert e --ca-key juntos.');
    const issuer = values['ca-cert'] ? { certPem: readFileSync(values['ca-cert'], 'utf8'), keyPem: readFileSync(values['ca-key']!, 'utf8') } : undefined;
    const cert = makeTestCertificate({
      cnpj,
      password,
      notBefore,
      notAfter: new Date(notBefore.getTime() + days * DAY),
      ...(values.razao ? { razaoSocial: values.razao } : {}),
      ...(issuer ? { issuer } : {}),
    });
    writeFileSync(out, cert.pfx, { mode: 0o600 });
    if (values.pem) {
      writeFileSync(`${values.pem}.crt.pem`, cert.certPem);
      writeFileSync(`${values.pem}.key.pem`, cert.keyPem, { mode: 0o600 });
    }
    const a1 = loadA1(cert.pfx, password, { now: notBefore });
    process.stdout.write(`Certificado de teste gravado em ${out}\n  Titular: ${a1.subject}\n  CNPJ: ${a1.cnpj}\n  Validade: ${a1.notBefore.toISOString()} a ${a1.notAfter.toISOString()}\n`);
    return 0;
  },
};

const makeCa: Command = {
  name: 'make-ca',
  summary: 'Gera uma autoridade certificadora de teste (PEM) para emitir certificados de teste',
  usage: `Uso: comboio cert make-ca --name NOME --out PREFIXO

Grava PREFIXO.crt.pem e PREFIXO.key.pem (válida por 10 anos).`,
  async run(argv) {
    const { values } = parseFlags(argv, { name: { type: 'string' }, out: { type: 'string' } });
    const ca = makeTestCa({ commonName: requireFlag(values.name, 'name') });
    const prefix = resolve(requireFlag(values.out, 'out'));
    writeFileSync(`${prefix}.crt.pem`, ca.certPem);
    writeFileSync(`${prefix}.key.pem`, ca.keyPem, { mode: 0o600 });
    process.stdout.write(`AC de teste gravada em ${prefix}.crt.pem e ${prefix}.key.pem\n`);
    return 0;
  },
};

const info: Command = {
  name: 'info',
  summary: 'Mostra titular, CNPJ e validade de um certificado A1',
  usage: `Uso: comboio cert info --cert a1.pfx --password-file ARQ [--cnpj CNPJ-DO-EMITENTE]

${CERT_PASSWORD_USAGE}`,
  async run(argv) {
    const { values } = parseFlags(argv, { cert: { type: 'string' }, ...CERT_PASSWORD_FLAGS, cnpj: { type: 'string' } });
    const a1 = loadA1(readFileSync(requireFlag(values.cert, 'cert')), certPassword(values), values.cnpj ? { expectedCnpj: values.cnpj } : {});
    process.stdout.write(
      `Titular: ${a1.subject}\nEmissor: ${a1.issuer}\nCNPJ: ${a1.cnpj ?? '(não encontrado)'}\nValidade: ${a1.notBefore.toISOString()} a ${a1.notAfter.toISOString()}\n` +
        a1.warnings.map((w) => `Aviso: ${w.message}\n`).join(''),
    );
    return 0;
  },
};

export const certCommand = groupCommand('cert', 'Certificado digital A1: gerar de teste, conferir', () => [makeTest, makeCa, info]);
