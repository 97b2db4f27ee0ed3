declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    dateFormat?: string;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    symlink?: boolean;
    sync?: boolean;
  }
  export interface RollStream extends DestinationStream {
    end(): void;
    flushSync(): void;
    once(event: 'close', listener: () => void): this;
  }
  export default function roll(options: PinoRollOptions): Promise<RollStream>;
}
