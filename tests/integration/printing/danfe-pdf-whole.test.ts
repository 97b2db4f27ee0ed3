import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDanfePdf } from '../../../src/core/printing/danfe-pdf';
import { informacoesComplementares, itemValues } from '../../../src/core/printing/danfe-values';
import { formatAddressLine } from '../../../src/core/printing/format';
import { danfeFixture } from '../../helpers/danfe-fixture';
import { maximalDanfe } from '../../helpers/danfe-max-fixture';
import { repoRoot } from '../../helpers/proc';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-danfe-whole-');
afterAll(() => tmp.cleanup());
const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Whether every word of `value` appears in `text`, in order (a continued value has a page header between its parts). */
function wordsInOrder(value: string, text: string): string | undefined {
  let at = 0;
  for (const w of value.split(/\s+/).filter(Boolean)) {
    const k = text.indexOf(w, at);
    if (k < 0) return w;
    at = k + w.length;
  }
  return undefined;
}

/** The PDF's text in content-stream order (poppler's -raw): each value's lines one after the other. */
async function pdfPages(d: ReturnType<typeof danfeFixture>, name: string): Promise<{ file: string; pages: string[] }> {
  const file = join(tmp.dir, `${name}.pdf`);
  writeFileSync(file, await renderDanfePdf(d, { resourcesDir: join(repoRoot, 'resources') }));
  const text = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return { file, pages: text.split('\f').filter((p) => p.trim() !== '') };
}

describe('DANFE PDF keeps every value whole (#22 items 19, 20)', () => {
  it('prints the maximum length of every field without an ellipsis, dados adicionais continued on further pages', async () => {
    const d = maximalDanfe(3);
    d.totais.valorIcmsMonoRetido = '123456.78';
    const { file, pages } = await pdfPages(d, 'maximal');
    const all = squeeze(pages.join('\n'));
    expect(all).not.toContain('…');
    const e = d.emitente;
    const whole = [
      d.naturezaOperacao,
      e.nome,
      formatAddressLine(e.endereco),
      e.endereco!.bairro,
      e.endereco!.municipio,
      d.destinatario.nome,
      formatAddressLine(d.destinatario.endereco),
      d.destinatario.endereco!.bairro,
      d.destinatario.endereco!.municipio,
      d.transporte.transportador!.nome,
      d.transporte.transportador!.endereco!.logradouro,
      d.transporte.transportador!.endereco!.municipio,
      d.transporte.rntc!,
      d.transporte.volumes[0]!.especie!,
      d.transporte.volumes[0]!.marca!,
      d.transporte.volumes[0]!.numeracao!,
      d.transporte.volumes[0]!.quantidade!,
    ];
    for (const v of whole) expect(all, v.slice(0, 30)).toContain(squeeze(v));
    expect(all).toContain('9ANDAR');
    for (const item of d.itens) {
      const v = itemValues(item);
      expect(all).toContain(squeeze(v.codigo!));
      expect(all).toContain(squeeze(v.descricao!));
      for (const id of ['quantidade', 'valorUnitario', 'valorTotal', 'baseIcms', 'valorIcms']) expect(all, id).toContain(squeeze(v[id]!));
    }
    // Dados adicionais: the first page ends in where they continue, the next pages carry the rest.
    expect(pages.length).toBeGreaterThan(1);
    const next = Number(/\(CONTINUA NA FOLHA (\d+)\)/.exec(pages[0]!)?.[1]);
    expect(next).toBeGreaterThan(1);
    expect(pages[next - 1]).toContain(`DADOS ADICIONAIS (CONTINUAÇÃO DA FOLHA ${next - 1})`);
    const text = pages.join('\n');
    expect(wordsInOrder(informacoesComplementares(d), text)).toBeUndefined();
    expect(wordsInOrder(d.informacoesFisco!, text)).toBeUndefined();
    expect(text).toContain('ICMS monofásico retido anteriormente: R$ 123.456,78');
    for (const [i, p] of pages.entries()) expect(p).toContain(`FOLHA ${i + 1}/${pages.length}`);
    execFileSync('pdftoppm', ['-r', '70', '-png', file, join(tmp.dir, 'maximal')]);
    if (process.env.COMBOIO_KEEP_PNG) execFileSync('cp', ['-r', tmp.dir, process.env.COMBOIO_KEEP_PNG]);
  });

  it('a 1,912-character infCpl continues on a second page instead of losing its last lines', async () => {
    const d = danfeFixture({ items: 1 });
    d.informacoesComplementares = Array.from({ length: 200 }, (_, i) => `LINHA${i}`).join(' ').slice(0, 1912);
    d.totais.valorIcmsMonoRetido = '99.10';
    const { pages } = await pdfPages(d, 'infcpl');
    expect(pages).toHaveLength(2);
    expect(wordsInOrder(informacoesComplementares(d), pages.join('\n'))).toBeUndefined();
    expect(pages[0]).toContain('(CONTINUA NA FOLHA 2)');
    expect(pages[1]).toContain('ICMS monofásico retido anteriormente: R$ 99,10');
  });
});
