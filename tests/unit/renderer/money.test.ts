import { describe, expect, it } from 'vitest';
import { decimalProblem, formatCentavos } from '../../../src/renderer/src/lib/money';

// Issue #22 item 7: every refused quantity said "use até 4 casas decimais", whatever was wrong.
describe('decimalProblem says what is wrong with a typed quantity', () => {
  it.each([
    ['-10', /negativo/],
    ['−10', /negativo/],
    ['abc', /só números/],
    ['1 000', /espaços/],
    ['1,23456', /até 4 casas decimais/],
    ['1,2,3', /uma vírgula só/],
    ['1.00', /milhares com ponto a cada 3 dígitos/],
  ])('%s', (typed, expected) => {
    expect(decimalProblem(typed, 4, '15.000,5')).toMatch(expected);
  });

  it.each(['15.000,5', '15000', '0,0001', '123.456,7891'])('accepts %s', (typed) => {
    expect(decimalProblem(typed, 4, '15.000,5')).toBeNull();
  });
});

// Issue #22 item 11: "-R$ 250,00" → "− R$ 250,00" (true minus sign, as printed statements show it).
describe('formatCentavos', () => {
  it('writes negatives with a minus sign and a space', () => {
    expect(formatCentavos(-25000)).toBe('\u2212 R$ 250,00');
    expect(formatCentavos(123456)).toBe('R$ 1.234,56');
    expect(formatCentavos(0)).toBe('R$ 0,00');
  });
});
