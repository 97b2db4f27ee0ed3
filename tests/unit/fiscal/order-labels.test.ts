import { describe, expect, it } from 'vitest';
import { orderFieldLabel } from '../../../src/core/fiscal/order-labels';

describe('orderFieldLabel names order paths as the screens do (issue #22 item 6)', () => {
  it.each([
    ['itens[0].quantidade', 'Quantidade do item 1'],
    ['itens[11].valorUnitario', 'Preço unitário do item 12'],
    ['itens[2].produto.ncm', 'NCM do item 3'],
    ['transporte.transportador', 'Transportador'],
    ['transporte.transportador.cnpj', 'CNPJ do transportador'],
    ['destinatario.endereco.cep', 'CEP do destinatário'],
    ['emitente.ie', 'Inscrição estadual do emitente'],
    ['observacoes', 'Informações complementares'],
    ['descontoPagador.percentual', 'Desconto do pagador'],
  ])('%s → %s', (path, label) => {
    expect(orderFieldLabel(path)).toBe(label);
  });

  it('returns an unknown path unchanged rather than inventing a name', () => {
    expect(orderFieldLabel('algo.novo')).toBe('algo.novo');
  });
});
