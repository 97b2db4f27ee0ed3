import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../src/renderer/src/lib/money';
import {
  brToIsoDay,
  certificateHolder,
  formatCep,
  formatDocumento,
  formatLitros,
  formatPrecoUnitario,
  formatTelefone,
  isoDayToBr,
} from '../../../src/shared/format';
import { formatCep as danfeCep, formatDocumento as danfeDocumento } from '../../../src/core/printing/format';

// Issue #22 item 11: "5.000" came back as "5000,0000" after reopening; CNPJ, CEP and telefone
// were unformatted on some screens. One formatter per kind of value, used everywhere.
describe('quantities and prices read back as the faturista wrote them', () => {
  it.each([
    ['5000.0000', '5.000'],
    ['15000.5000', '15.000,5'],
    ['123456.7891', '123.456,7891'],
    ['0.0010', '0,001'],
  ])('liters %s → %s, and it parses back to the same value', (stored, shown) => {
    expect(formatLitros(stored)).toBe(shown);
    expect(parseDecimal(shown, 4)).toBe(stored);
  });

  it('unit prices keep the 4 decimals fuel is quoted in', () => {
    expect(formatPrecoUnitario('5.8790000000')).toBe('5,8790');
    expect(formatPrecoUnitario('6')).toBe('6,0000');
    expect(formatPrecoUnitario('1234.1234567891')).toBe('1.234,1234567891');
  });
});

describe('identity numbers', () => {
  it('CNPJ (numeric and alphanumeric) and CPF', () => {
    expect(formatDocumento('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatDocumento('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
    expect(formatDocumento('12345678909')).toBe('123.456.789-09');
    expect(formatDocumento(null)).toBe('');
  });
  it('CEP and telefone', () => {
    expect(formatCep('01310100')).toBe('01310-100');
    expect(formatTelefone('1134567890')).toBe('(11) 3456-7890');
    expect(formatTelefone('11987654321')).toBe('(11) 98765-4321');
    expect(formatTelefone('08001234567')).toBe('0800 123 4567');
  });
  it('the DANFE uses the same formatters as the screens', () => {
    expect(danfeDocumento('11222333000181')).toBe(formatDocumento('11222333000181'));
    expect(danfeCep('01310100')).toBe('01310-100');
  });
});

// Issue #22 item 15: the certificate holder was shown as a raw subject string.
describe('certificateHolder', () => {
  it('shows the e-CNPJ holder as name · CNPJ', () => {
    expect(certificateHolder('C=BR, O=ICP-Brasil, OU=AC SOLUTI, CN=DISTRIBUIDORA EXEMPLO LTDA:11222333000181')).toBe('DISTRIBUIDORA EXEMPLO LTDA · 11.222.333/0001-81');
    expect(certificateHolder('CN=COMBOIO DEMO, O=Teste', '11222333000181')).toBe('COMBOIO DEMO · 11.222.333/0001-81');
  });
});

// Issue #22 item 15: dates always dd/mm/aaaa.
describe('calendar days typed as dd/mm/aaaa', () => {
  it('round-trips and refuses days that do not exist', () => {
    expect(brToIsoDay('10/03/2025')).toBe('2025-03-10');
    expect(brToIsoDay('10032025')).toBe('2025-03-10');
    expect(brToIsoDay('31/02/2025')).toBeNull();
    expect(brToIsoDay('2025-03-10')).toBeNull();
    expect(isoDayToBr('2025-03-10')).toBe('10/03/2025');
  });
});
