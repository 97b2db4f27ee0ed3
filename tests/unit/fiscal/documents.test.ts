import { describe, expect, it } from 'vitest';
import { checkIe, cnpjWithDv, cpfWithDv, isValidCnpj, isValidCpf } from '../../../src/core/fiscal/documents';

describe('CNPJ / CPF', () => {
  it('validates numeric and alphanumeric CNPJ (Receita Federal example 12.ABC.345/01DE-35)', () => {
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-82')).toBe(false);
    expect(isValidCnpj('12.ABC.345/01DE-35')).toBe(true);
    expect(isValidCnpj('12ABC34501DE36')).toBe(false);
    expect(isValidCnpj('00000000000000')).toBe(false);
    expect(isValidCnpj('1122233300018')).toBe(false);
    expect(cnpjWithDv('12ABC34501DE')).toBe('12ABC34501DE35');
  });

  it('validates CPF', () => {
    expect(isValidCpf('111.444.777-35')).toBe(true);
    expect(isValidCpf('111.444.777-36')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(cpfWithDv('111444777')).toBe('11144477735');
  });
});

describe('Inscrição Estadual', () => {
  // Examples published by each SEFAZ (Sintegra "conferência de inscrições").
  const valid: [string, string][] = [
    ['SP', '110.042.490.114'],
    ['MG', '062.307.904/0081'],
    ['RJ', '99.999.99-3'],
    ['PR', '123.45678-50'],
    ['RS', '224/3658792'],
    ['SC', '251.040.852'],
    ['GO', '10.987.654-7'],
    ['BA', '123456-63'],
    ['BA', '1000003-06'],
    ['DF', '07300001001-09'],
    ['MT', '0013000001-9'],
    ['PE', '0321418-40'],
    ['CE', '06000001-5'],
  ];
  it.each(valid)('%s %s is valid and one changed digit is not', (uf, ie) => {
    expect(checkIe(ie, uf)).toBe('valid');
    const digits = ie.replace(/\D/g, '');
    const last = Number(digits.at(-1));
    expect(checkIe(digits.slice(0, -1) + String((last + 1) % 10), uf)).toBe('invalid');
  });

  it('rejects letters and odd lengths, leaves UFs without a coded rule unchecked', () => {
    expect(checkIe('ISENTO', 'SP')).toBe('invalid');
    expect(checkIe('11004249011', 'SP')).toBe('invalid');
    expect(checkIe('123456789', 'TO')).toBe('unchecked');
  });
});
