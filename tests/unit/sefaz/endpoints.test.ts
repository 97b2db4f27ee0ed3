import { describe, expect, test } from 'vitest';
import { ENDPOINTS, UFS, authorizerFor, endpointUrl, simulatorRoutes, svcOf } from '../../../src/core/sefaz/endpoints';
import { NfeServices, type NfeServiceKey } from '../../../src/core/sefaz/soap';

const SERVICES = Object.keys(NfeServices) as NfeServiceKey[];

describe('endpoint table', () => {
  test('every UF has every NF-e service in both environments, over https', () => {
    for (const uf of UFS) {
      for (const env of ['homologacao', 'producao'] as const) {
        for (const service of SERVICES) expect(endpointUrl({ env, uf }, service)).toMatch(/^https:\/\/[a-z0-9.-]+\//);
      }
    }
  });

  test('SVC authorizes and receives events but does not inutilize', () => {
    expect(svcOf('SP')).toBe('SVC-AN');
    expect(svcOf('PR')).toBe('SVC-RS');
    expect(endpointUrl({ env: 'producao', uf: 'SP', emission: 'svc' }, 'autorizacao')).toBe('https://svc.fazenda.gov.br/NFeAutorizacao4/NFeAutorizacao4.asmx');
    expect(() => endpointUrl({ env: 'producao', uf: 'SP', emission: 'svc' }, 'inutilizacao')).toThrow(/não oferece/);
  });

  test('known addresses and authorizers', () => {
    expect(authorizerFor('AC')).toBe('SVRS');
    expect(authorizerFor('MA')).toBe('SVAN');
    expect(endpointUrl({ env: 'homologacao', uf: 'SP' }, 'autorizacao')).toBe('https://homologacao.nfe.fazenda.sp.gov.br/ws/nfeautorizacao4.asmx');
    expect(endpointUrl({ env: 'producao', uf: 'RS' }, 'consultaProtocolo')).toBe('https://nfe.sefazrs.rs.gov.br/ws/NfeConsulta/NfeConsulta4.asmx');
    expect(endpointUrl({ env: 'producao', uf: 'SP' }, 'recepcaoEvento', 'an')).toBe(ENDPOINTS.AN.producao.recepcaoEvento);
  });

  test('the simulator mirrors the SVRS homologação paths', () => {
    const url = endpointUrl({ env: 'simulador', uf: 'SP', simulatorUrl: 'https://127.0.0.1:9443/' }, 'autorizacao');
    expect(url).toBe('https://127.0.0.1:9443/ws/NfeAutorizacao/NFeAutorizacao4.asmx');
    expect(new URL(ENDPOINTS.SVRS.homologacao.autorizacao!).pathname).toBe(new URL(url).pathname);
    expect(simulatorRoutes().get('/ws/nfeautorizacao/nfeautorizacao4.asmx')).toBe('autorizacao');
    expect(() => endpointUrl({ env: 'simulador', uf: 'SP' }, 'statusServico')).toThrow(/--sim-url/);
  });
});
