import { describe, expect, it } from 'vitest';
import { buildChave, chaveDv, formatChave, isValidChave, parseChave, randomCnf } from '../../../src/core/fiscal/chave';

describe('chave de acesso', () => {
  it('computes the DV of the manual examples (NF-e and CT-e)', () => {
    expect(chaveDv('3524051122233300018155001000001234112345678')).toBe(9);
    expect(chaveDv('3524051122233300018157001000000789187654321')).toBe(0);
    expect(isValidChave('35240511222333000181550010000012341123456789')).toBe(true);
    expect(isValidChave('35240511222333000181550010000012341123456788')).toBe(false);
  });

  it('builds and parses a key with zero-padded série and number', () => {
    const chave = buildChave({ cUF: '35', aamm: '2405', emitente: '11222333000181', mod: '55', serie: 1, nNF: 1234, tpEmis: 1, cNF: '12345678' });
    expect(chave).toBe('35240511222333000181550010000012341123456789');
    expect(parseChave(chave)).toMatchObject({ serie: 1, nNF: 1234, tpEmis: 1, cNF: '12345678', cDV: 9, emitente: '11222333000181' });
    expect(formatChave(chave)).toBe('3524 0511 2223 3300 0181 5500 1000 0012 3411 2345 6789');
  });

  it('works with an alphanumeric CNPJ (character value = ASCII − 48)', () => {
    const chave = buildChave({ cUF: '35', aamm: '2607', emitente: '12ABC34501DE35', mod: '55', serie: 1, nNF: 1, tpEmis: 1, cNF: '00000001' });
    // By hand: letters A=17, B=18, C=19, D=20, E=21 against weights 2..9 from the right.
    const first43 = chave.slice(0, 43);
    let sum = 0;
    [...first43].reverse().forEach((ch, i) => (sum += (ch.charCodeAt(0) - 48) * ((i % 8) + 2)));
    const dv = sum % 11 < 2 ? 0 : 11 - (sum % 11);
    expect(chave).toHaveLength(44);
    expect(Number(chave[43])).toBe(dv);
    expect(isValidChave(chave)).toBe(true);
    expect(parseChave(chave).emitente).toBe('12ABC34501DE35');
  });

  it('pads a CPF issuer to 14 digits', () => {
    expect(buildChave({ cUF: '31', aamm: '2611', emitente: '11144477735', mod: '55', serie: 2, nNF: 9, tpEmis: 1, cNF: '87654320' }).slice(6, 20)).toBe('00011144477735');
  });

  it('draws a random 8-digit cNF that differs from nNF', () => {
    const seq = [1234, 1234, 11111111, 57];
    const next = () => seq.shift()!;
    expect(randomCnf(1234, next)).toBe('00000057');
    const seen = new Set(Array.from({ length: 50 }, () => randomCnf(1)));
    expect(seen.size).toBeGreaterThan(45);
    for (const c of seen) expect(c).toMatch(/^\d{8}$/);
  });
});
