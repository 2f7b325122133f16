/** What the setup steps share: the service settings, the plain refusal, and small readers of QuickBooks records. */
import { ConnectorError, err, type Result } from '../errors/index.ts';
import type { Logger } from '../logger/index.ts';
import type { Shop, Storage } from '../storage/index.ts';
import type { SetupServiceOptions } from './service.ts';

/** What every setup step shares: the service's options with their defaults applied. */
export interface SetupContext {
  options: SetupServiceOptions;
  storage: Storage;
  logger: Logger;
  clock: () => Date;
  qwcOptions: (shop: Shop) => { publicUrl: string; soapPath: string; appName: string };
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}

export function nameOf(ret: Record<string, unknown>): string | null {
  return str(ret.FullName) ?? str(ret.Name);
}

export function refuse(code: string, message: string): Result<never> {
  return err(new ConnectorError({ code, message, merchantMessage: message, merchantMustAct: true }));
}
