import { SerialPort } from 'serialport';

export interface PortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  pnpId?: string;
  vendorId?: string;
  productId?: string;
  friendlyName?: string;
}

export type ListPorts = () => Promise<PortInfo[]>;

/** Serial ports the OS knows (COM ports on Windows, USB-serial adapters included). */
export const listPorts: ListPorts = async () => {
  const ports = await SerialPort.list();
  return ports.map((p) => {
    const info: PortInfo = { path: p.path };
    for (const key of ['manufacturer', 'serialNumber', 'pnpId', 'vendorId', 'productId', 'friendlyName'] as const) {
      const v = (p as unknown as Record<string, string | undefined>)[key];
      if (v) info[key] = v;
    }
    return info;
  });
};
