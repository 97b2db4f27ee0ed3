import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../core/app';
import { dispatch } from '../../core/handlers';
import { DEMO_CERT_PASSWORD, readDemoCertificate, startEmbedded, type Embedded } from '../../web-host/embedded';
import { parseFlags, UsageError, type Command } from '../command';
import { newId } from '../../shared/ids';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

export const finalizeBench: Command = {
  name: 'finalize',
  summary: 'Faturamento de ponta a ponta: trava + número + NF-e assinada + autorização no simulador + impressão na fila',
  usage: `Uso: comboio bench finalize [--orders N] [--json]

  Sobe numa pasta temporária o servidor LAN, o simulador da SEFAZ e uma estação (mesmos
  componentes de "comboio web"), e fatura --orders pedidos (padrão 200) um após o outro pela
  Api, cada um com DANFE na fila da impressora-arquivo. Mede cada faturamento (p50, p99) e, lado
  a lado, só a etapa local (montar + assinar + validar) para mostrar o custo da rede e da SEFAZ.`,
  async run(argv) {
    const { values } = parseFlags(argv, { orders: { type: 'string' }, json: { type: 'boolean' } });
    const n = Number(values.orders ?? 200);
    if (!Number.isInteger(n) || n < 1) throw new UsageError('--orders deve ser um inteiro positivo.');
    const dir = mkdtempSync(join(tmpdir(), 'comboio-bench-finalize-'));
    let embedded: Embedded | null = null;
    const core = createCore({
      dataDir: dir,
      host: 'bench',
      demo: true,
      workstation: 'BENCH01',
      prepare: async ({ settings, runtime }) => {
        embedded = await startEmbedded({ dataDir: dir, settings, runtime });
        runtime.storeCertificate(readDemoCertificate(dir), DEMO_CERT_PASSWORD);
      },
    });
    try {
      await core.ready;
      const call = async <T>(method: string, params?: unknown, session?: string): Promise<T> => {
        const r = await dispatch(core.handlers, method, params, { origin: 'bench', ...(session ? { session } : {}) });
        if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
        return r.data as T;
      };
      const { session } = await call<{ session: string }>('auth.login', { login: 'faturista', password: 'fatura123' });
      const [series] = await call<{ id: string; suggested: number }[]>('billing.series', { model: 55 }, session);
      if (!series) throw new Error('série de demonstração ausente');
      const total: number[] = [];
      const failures: string[] = [];
      for (let i = 0; i < n; i++) {
        const o = await call<Record<string, unknown>>('orders.new', undefined, session);
        Object.assign(o, {
          customerId: 'cli-posto-estrela',
          naturezaId: 'nat-venda-comb-61',
          items: [{ productId: 'prod-diesel-s10', quantidade: `${1000 + i}.0000`, precoUnitario: '5.8790', desconto: { tipo: 'nenhum', valor: '0' }, cstICMS: null, adRemICMS: null }],
          transporte: { modFrete: 0, transportadorDocumento: '11444777000161', transportadorNome: 'TRANSPORTADORA TESTE LTDA', placa: 'ABC1D23', ufPlaca: 'SP' },
        });
        await call('orders.save', o, session);
        const t0 = performance.now();
        const r = await call<{ status: string; number: number }>(
          'billing.finalize',
          { orderId: o.id, seriesId: series.id, suggested: null, requestId: newId(), printTo: 'form' },
          session,
        );
        total.push(performance.now() - t0);
        if (r.status !== 'autorizada') failures.push(`${r.number}: ${r.status}`);
      }
      total.sort((a, b) => a - b);
      const jobs = core.runtime.printQueue.list({ limit: n + 10 }).length;
      const result = {
        orders: n,
        authorized: n - failures.length,
        printJobs: jobs,
        finalize: { p50Ms: round(pct(total, 50)), p99Ms: round(pct(total, 99)), meanMs: round(total.reduce((a, b) => a + b, 0) / n) },
        targetP50Ms: 300,
        failures,
      };
      if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
      else {
        process.stdout.write(
          [
            `Faturamento de ponta a ponta — ${n} pedidos, loopback (servidor LAN + simulador no mesmo processo)`,
            `  autorizadas            ${result.authorized}/${n}   trabalhos de impressão: ${jobs}`,
            `  faturar (p50 / p99)    ${result.finalize.p50Ms} ms / ${result.finalize.p99Ms} ms   (média ${result.finalize.meanMs} ms; meta p50 ≤ 300 ms)`,
            ...(failures.length ? [`  não autorizadas: ${failures.slice(0, 10).join(', ')}`] : []),
          ].join('\n') + '\n',
        );
      }
      return failures.length === 0 ? 0 : 1;
    } finally {
      await core.close();
      await (embedded as Embedded | null)?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
