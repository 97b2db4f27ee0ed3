import type { CteCorrecaoDto, CteCst, CteEmitParams, CteEntregaParams, CteMethods } from '../../../shared/api/cte';
import { invalidInput } from '../../errors';
import { int, obj, oneOf, str, type Obj } from '../../input';

/**
 * One input schema per CT-e Api method: what the renderer (or any other caller) sends is
 * `unknown` until its reader has checked it. Each failure is a pt-BR message naming the
 * field as the screen labels it, with the stable code INVALID_INPUT.
 */

type Params<M extends keyof CteMethods> = CteMethods[M]['params'];

const CSTS: readonly CteCst[] = ['00', '20', '40', '41', '51', '60', '90', 'SN'];
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;
const UF = /^[A-Z]{2}$/;
const PLACA = /^[A-Z]{3}\d[A-Z0-9]\d{2}$/;

function docId(o: Obj, field = 'id'): string {
  return chave(o[field], field);
}

function chave(v: unknown, field: string): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (!/^[0-9A-Z]{44}$/.test(t)) throw invalidInput('Documento inválido: informe a chave de acesso de 44 caracteres.', field);
  return t;
}

function percent(o: Obj, field: string, label: string): string | undefined {
  const v = o[field];
  if (v === undefined || v === null || v === '') return undefined;
  const t = String(v).trim().replace(',', '.');
  if (typeof v !== 'string' || !PERCENT.test(t) || Number(t) > 100) throw invalidInput(`${label}: use um percentual de 0 a 100 com até 2 casas (ex.: 12 ou 7,5).`, field);
  return t;
}

function text(o: Obj, field: string, label: string, min: number, max: number): string {
  const v = o[field];
  const t = typeof v === 'string' ? v.trim() : '';
  if (t.length < min || t.length > max) throw invalidInput(`${label} deve ter de ${min} a ${max} caracteres.`, field);
  return t;
}

function optionalText(o: Obj, field: string, label: string, max: number): string | undefined {
  const v = o[field];
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return undefined;
  return text(o, field, label, 1, max);
}

function nfeIds(o: Obj): string[] {
  const v = o.nfeIds;
  if (!Array.isArray(v) || v.length === 0) throw invalidInput('Escolha ao menos uma NF-e faturada.', 'nfeIds');
  if (v.length > 2000) throw invalidInput('Um CT-e leva no máximo 2000 NF-e.', 'nfeIds');
  const ids = v.map((x, i) => chave(x, `nfeIds[${i}]`));
  if (new Set(ids).size !== ids.length) throw invalidInput('A mesma NF-e foi escolhida duas vezes.', 'nfeIds');
  return ids;
}

export const cteInput = {
  'cte.draft': (p: unknown): Params<'cte.draft'> => ({ nfeIds: nfeIds(obj(p, 'params')) }),

  'cte.get': (p: unknown): Params<'cte.get'> => ({ id: docId(obj(p, 'params')) }),

  'cte.emit': (p: unknown): CteEmitParams => {
    const o = obj(p, 'params');
    const comps = o.componentes;
    if (!Array.isArray(comps) || comps.length === 0) throw invalidInput('Informe ao menos um componente do valor da prestação (ex.: FRETE PESO).', 'componentes');
    if (comps.length > 20) throw invalidInput('No máximo 20 componentes do valor da prestação.', 'componentes');
    const componentes = comps.map((c, i) => {
      const co = obj(c, `componentes[${i}]`);
      const nome = text(co, 'nome', `Nome do componente ${i + 1}`, 1, 15);
      const v = co.valorCentavos;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0 || v > 99_999_999_999_999) {
        throw invalidInput(`Valor do componente ${i + 1} deve ser maior que zero.`, `componentes[${i}].valorCentavos`);
      }
      return { nome: nome.toUpperCase(), valorCentavos: v };
    });
    const io = obj(o.icms, 'icms');
    const cst = oneOf(io, 'cst', CSTS);
    const aliquota = percent(io, 'aliquota', 'Alíquota do ICMS');
    const reducaoBase = percent(io, 'reducaoBase', 'Redução da base de cálculo');
    if (['00', '20', '90'].includes(cst) && aliquota === undefined) throw invalidInput('Informe a alíquota do ICMS para esta CST.', 'icms.aliquota');
    if (cst === '20' && reducaoBase === undefined) throw invalidInput('Informe o percentual de redução da base de cálculo (CST 20).', 'icms.reducaoBase');
    const rntrc = str(o, 'rntrc', { max: 8 }).replace(/\D/g, '');
    if (!/^\d{8}$/.test(rntrc)) throw invalidInput('RNTRC deve ter 8 dígitos (registro na ANTT).', 'rntrc');
    const placa = optionalText(o, 'placa', 'Placa do veículo', 7)?.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (placa !== undefined && !PLACA.test(placa)) throw invalidInput('Placa do veículo inválida (ex.: ABC1D23 ou ABC1234).', 'placa');
    const ufPlaca = optionalText(o, 'ufPlaca', 'UF da placa', 2)?.toUpperCase();
    if (ufPlaca !== undefined && !UF.test(ufPlaca)) throw invalidInput('UF da placa inválida.', 'ufPlaca');
    let motorista: CteEmitParams['motorista'];
    if (o.motorista !== undefined && o.motorista !== null) {
      const mo = obj(o.motorista, 'motorista');
      const nome = optionalText(mo, 'nome', 'Nome do motorista', 60);
      const cpf = String(mo.cpf ?? '').replace(/\D/g, '');
      if (nome || cpf) {
        if (!nome) throw invalidInput('Informe o nome do motorista.', 'motorista.nome');
        if (!/^\d{11}$/.test(cpf)) throw invalidInput('CPF do motorista deve ter 11 dígitos.', 'motorista.cpf');
        motorista = { nome, cpf };
      }
    }
    const observacoes = optionalText(o, 'observacoes', 'Observações', 2000);
    const suggested = int(o, 'suggested', { min: 1, optional: true }) ?? null;
    const tomador = oneOf(o, 'tomador', ['remetente', 'expedidor', 'recebedor', 'destinatario', 'outro'] as const);
    const partyId = (field: 'expedidorId' | 'recebedorId' | 'tomadorId', label: string, required: boolean) => {
      const id = str(o, field, { max: 100, optional: true });
      if (required && !id) throw invalidInput(`Escolha o ${label} no cadastro de clientes.`, field);
      return id;
    };
    const expedidorId = partyId('expedidorId', 'expedidor', tomador === 'expedidor');
    const recebedorId = partyId('recebedorId', 'recebedor', tomador === 'recebedor');
    const tomadorId = tomador === 'outro' ? partyId('tomadorId', 'tomador do serviço (outros)', true) : undefined;
    return {
      nfeIds: nfeIds(o),
      seriesId: str(o, 'seriesId', { max: 40 }),
      suggested,
      requestId: str(o, 'requestId', { max: 100 }),
      printTo: oneOf(o, 'printTo', ['form', 'pdf', 'none'] as const),
      tomador,
      ...(expedidorId ? { expedidorId } : {}),
      ...(recebedorId ? { recebedorId } : {}),
      ...(tomadorId ? { tomadorId } : {}),
      componentes,
      icms: { cst, ...(aliquota !== undefined ? { aliquota } : {}), ...(reducaoBase !== undefined ? { reducaoBase } : {}) },
      rntrc,
      ...(placa ? { placa } : {}),
      ...(ufPlaca ? { ufPlaca } : {}),
      ...(motorista ? { motorista } : {}),
      ...(observacoes ? { observacoes } : {}),
    };
  },

  'cte.cancel': (p: unknown): Params<'cte.cancel'> => {
    const o = obj(p, 'params');
    return { id: docId(o), justificativa: text(o, 'justificativa', 'A justificativa do cancelamento', 15, 255) };
  },

  'cte.cce': (p: unknown): Params<'cte.cce'> => {
    const o = obj(p, 'params');
    const list = o.correcoes;
    if (!Array.isArray(list) || list.length === 0) throw invalidInput('Informe ao menos uma correção (grupo, campo e novo valor).', 'correcoes');
    if (list.length > 50) throw invalidInput('No máximo 50 correções por carta.', 'correcoes');
    const correcoes: CteCorrecaoDto[] = list.map((c, i) => {
      const co = obj(c, `correcoes[${i}]`);
      const item = int(co, 'item', { min: 1, max: 999, optional: true });
      return {
        grupo: text(co, 'grupo', `Grupo da correção ${i + 1}`, 1, 20),
        campo: text(co, 'campo', `Campo da correção ${i + 1}`, 1, 20),
        valor: text(co, 'valor', `Novo valor da correção ${i + 1}`, 1, 500),
        ...(item !== undefined ? { item } : {}),
      };
    });
    return { id: docId(o), correcoes };
  },

  'cte.entrega': (p: unknown): CteEntregaParams => {
    const o = obj(p, 'params');
    const dataHora = str(o, 'dataHora', { max: 40 });
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})$/.test(dataHora) || Number.isNaN(Date.parse(dataHora))) {
      throw invalidInput('Data e hora da entrega inválidas.', 'dataHora');
    }
    const coord = (field: 'latitude' | 'longitude', max: number, label: string) => {
      const v = optionalText(o, field, label, 12)?.replace(',', '.');
      if (v === undefined) return undefined;
      if (!/^-?\d{1,3}\.\d{6}$/.test(v) || Math.abs(Number(v)) > max) throw invalidInput(`${label} inválida: graus com 6 casas decimais (ex.: -22.905560).`, field);
      return v;
    };
    const latitude = coord('latitude', 90, 'Latitude');
    const longitude = coord('longitude', 180, 'Longitude');
    if ((latitude === undefined) !== (longitude === undefined)) throw invalidInput('Informe latitude e longitude juntas, ou nenhuma.', latitude === undefined ? 'latitude' : 'longitude');
    const img = o.imagemBase64;
    if (typeof img !== 'string' || img.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(img)) throw invalidInput('Anexe a imagem do comprovante (foto ou digitalização do canhoto assinado).', 'imagemBase64');
    if (img.length > 14_000_000) throw invalidInput('Imagem grande demais: use um arquivo de até 10 MB.', 'imagemBase64');
    return {
      id: docId(o),
      dataHora,
      documento: text(o, 'documento', 'O documento de quem recebeu', 2, 20),
      nome: text(o, 'nome', 'O nome de quem recebeu', 2, 60),
      ...(latitude !== undefined ? { latitude, longitude: longitude! } : {}),
      imagemBase64: img,
    };
  },

  'cte.entregaCancel': (p: unknown): Params<'cte.entregaCancel'> => ({ id: docId(obj(p, 'params')) }),

  'cte.desacordo': (p: unknown): Params<'cte.desacordo'> => {
    const o = obj(p, 'params');
    return { id: docId(o), observacao: text(o, 'observacao', 'A observação do desacordo', 15, 255) };
  },
} satisfies { [M in keyof CteMethods]: (p: unknown) => CteMethods[M]['params'] };
