import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { devolucaoFromNfe } from '../../../core/fiscal/devolucao';
import { onlyCnpjChars } from '../../../core/fiscal/documents';
import type { Order } from '../../../core/fiscal/order';
import { parseFlags, requireFlag, UsageError, type Command } from '../../command';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Não foi possível ler ${what} ${file}: ${(err as Error).message}`);
  }
}

function positiveInt(value: string | undefined, flag: string): number {
  const n = Number(requireFlag(value, flag));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} deve ser um número inteiro: ${String(value)}.`);
  return n;
}

export const nfeDevolucaoCommand: Command = {
  name: 'devolucao',
  summary: 'Monta o pedido de uma NF-e de devolução a partir do XML da nota original',
  usage: `Uso: comboio nfe devolucao --from ORIGINAL.xml --cnpj CNPJ --serie N --numero N --out PEDIDO.json [opções]

  --from ARQ         XML da NF-e original (NFe ou nfeProc)
  --cnpj CNPJ        CNPJ do emitente da devolução (decide: venda nossa → entrada; compra → saída)
  --serie N, --numero N   série e número da devolução
  --item N[:QTD]     item da nota original a devolver, com a quantidade (repita; padrão: todos, inteiros)
  --motivo TEXTO     motivo, impresso nas informações complementares
  --emitente ARQ     JSON com o emitente (obrigatório ao devolver uma compra)
  --out ARQ          onde gravar o pedido; emita-o com comboio nfe emit --order ARQ

A devolução referencia a nota original (rejeição 321), usa o CFOP de devolução e a forma de
pagamento 90 — sem pagamento (rejeição 871).`,
  async run(argv) {
    const { values } = parseFlags(argv, {
      from: { type: 'string' },
      cnpj: { type: 'string' },
      serie: { type: 'string' },
      numero: { type: 'string' },
      item: { type: 'string', multiple: true },
      motivo: { type: 'string' },
      emitente: { type: 'string' },
      emissao: { type: 'string' },
      out: { type: 'string' },
    });
    const xml = readText(requireFlag(values.from, 'from'), 'a nota original');
    const itens = (values.item ?? []).map((spec) => {
      const m = /^(\d+)(?::(\d+(?:[.,]\d{1,4})?))?$/.exec(spec.trim());
      if (!m) throw new UsageError(`--item deve ser N ou N:QUANTIDADE (ex.: 1:1500.5): "${spec}".`);
      return { nItem: Number(m[1]), ...(m[2] ? { quantidade: m[2].replace(',', '.') } : {}) };
    });
    let emitente: Order['emitente'] | undefined;
    if (values.emitente) {
      try {
        emitente = JSON.parse(readText(values.emitente, 'o emitente')) as Order['emitente'];
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`Emitente ${values.emitente} não é um JSON válido: ${(err as Error).message}`);
      }
    }
    const order = devolucaoFromNfe(xml, {
      cnpj: onlyCnpjChars(requireFlag(values.cnpj, 'cnpj')),
      serie: positiveInt(values.serie, 'serie'),
      numero: positiveInt(values.numero, 'numero'),
      ...(itens.length ? { itens } : {}),
      ...(values.motivo ? { motivo: values.motivo } : {}),
      ...(values.emissao ? { emissao: values.emissao } : {}),
      ...(emitente ? { emitente } : {}),
    });
    const out = resolve(requireFlag(values.out, 'out'));
    writeFileSync(out, `${JSON.stringify(order, null, 2)}\n`, { flag: 'wx' });
    process.stdout.write(
      `Pedido de devolução (${order.tipo === 'entrada' ? 'entrada' : 'saída'}, ${order.itens.length} item(ns)) gravado em ${out}.\n` +
        `  Referência: ${order.referencias![0]!.nfe}\n  Emita com: comboio nfe emit --order ${out} ...\n`,
    );
    return 0;
  },
};
