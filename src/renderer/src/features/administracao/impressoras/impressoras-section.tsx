import { useState } from 'react';
import type { PrinterDto } from '../../../../../shared/api/index';
import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { PrinterForm } from './printer-form';

const KIND_LABELS: Record<PrinterDto['kind'], string> = {
  serial: 'Serial',
  spool: 'Impressora do sistema',
  tcp: 'Rede (TCP)',
  device: 'USB/LPT direto',
  file: 'Arquivo',
};

const NEW_PRINTER: PrinterDto = {
  id: '',
  name: '',
  kind: 'serial',
  path: '',
  baudRate: 9600,
  parity: 'none',
  dataBits: 8,
  flow: 'xonxoff',
  layout: 'danfe-continuo',
  dx: 0,
  dy: 0,
  serialNumber: null,
  isDefault: false,
};

export function ImpressorasSection() {
  const printers = useApiQuery(() => call('printers.list'), '', 'Não foi possível carregar as impressoras');
  const [selected, setSelected] = useState<PrinterDto | null>(null);
  // The form keeps its state (a calibration result) when a new printer is saved and gets its id.
  const [formKey, setFormKey] = useState(0);
  const open = (p: PrinterDto) => {
    setSelected(p);
    setFormKey((k) => k + 1);
  };
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div>
      <div className="toolbar">
        <p className="muted small-text">Impressoras matriciais de formulário contínuo: serial, USB (instalada no sistema ou direta), de rede (TCP 9100) ou pasta de arquivos para testes.</p>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => open({ ...NEW_PRINTER })}>
          Nova impressora
        </button>
      </div>
      {printers.error && <Notice kind="error">{printers.error}</Notice>}
      {notice && (
        <Notice kind="ok" onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      <div className={selected ? 'master-detail' : undefined}>
        <div className="table-scroll">
        <table className="grid clickable" aria-label="Impressoras">
          <thead>
            <tr>
              <th scope="col">Nome</th>
              <th scope="col">Tipo</th>
              <th scope="col">Porta / pasta</th>
              <th scope="col">Layout</th>
              <th scope="col" className="num">
                dx / dy (mm)
              </th>
              <th scope="col">Padrão</th>
            </tr>
          </thead>
          <tbody>
            {printers.data?.map((p) => (
              <tr
                key={p.id}
                tabIndex={0}
                className={selected?.id === p.id ? 'selected' : undefined}
                onClick={() => open(p)}
                onKeyDown={(e) => e.key === 'Enter' && open(p)}
              >
                <td>{p.name}</td>
                <td>{KIND_LABELS[p.kind]}</td>
                <td>
                  <code>{p.path}</code>
                </td>
                <td>{p.layout}</td>
                <td className="num">
                  {p.dx.toLocaleString('pt-BR')} / {p.dy.toLocaleString('pt-BR')}
                </td>
                <td>{p.isDefault ? 'Sim' : ''}</td>
              </tr>
            ))}
            {printers.data && printers.data.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  Nenhuma impressora configurada.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        </div>
        {selected && (
          <PrinterForm
            key={formKey}
            printer={selected}
            onClose={() => setSelected(null)}
            onSaved={(p, msg) => {
              setSelected(p);
              setNotice(msg);
              void printers.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}
