/**
 * The one error type of the connector. Every failure a merchant can meet carries:
 * - `code`: stable, machine-readable (`QBXML_VALUE_TOO_LONG`, `QB_NAME_IN_USE`, …); never reworded once shipped.
 * - `message`: for developers and logs (may name files, ids, status codes).
 * - `merchantMessage`: plain English for the merchant, saying what happened and what to do.
 * - `merchantMustAct`: true when only the merchant can fix it (a setting in QuickBooks, a mapping); false when
 *   the connector will retry or a developer must fix a bug.
 * - `retryable`: true when trying the same thing again later can succeed without anyone changing anything.
 */
export interface ConnectorErrorInit {
  code: string;
  message: string;
  merchantMessage?: string;
  merchantMustAct?: boolean;
  retryable?: boolean;
  qbStatusCode?: number;
  hresult?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

const GENERIC_MERCHANT_MESSAGE =
  'Something went wrong inside the connector. Nothing was posted twice; the connector will show this item until it is resolved. If it keeps happening, contact support with the error code.';

export class ConnectorError extends Error {
  readonly code: string;
  readonly merchantMessage: string;
  readonly merchantMustAct: boolean;
  readonly retryable: boolean;
  readonly qbStatusCode: number | null;
  readonly hresult: string | null;
  readonly details: Record<string, unknown>;

  constructor(init: ConnectorErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ConnectorError';
    this.code = init.code;
    this.merchantMessage = init.merchantMessage ?? GENERIC_MERCHANT_MESSAGE;
    this.merchantMustAct = init.merchantMustAct ?? false;
    this.retryable = init.retryable ?? false;
    this.qbStatusCode = init.qbStatusCode ?? null;
    this.hresult = init.hresult ?? null;
    this.details = init.details ?? {};
  }

  /** A plain object safe to store or send to the admin UI (no stack, no cause). */
  toJSON(): SerializedConnectorError {
    return {
      code: this.code,
      message: this.message,
      merchantMessage: this.merchantMessage,
      merchantMustAct: this.merchantMustAct,
      retryable: this.retryable,
      qbStatusCode: this.qbStatusCode,
      hresult: this.hresult,
      details: this.details,
    };
  }

  static fromJSON(json: SerializedConnectorError): ConnectorError {
    return new ConnectorError({
      code: json.code,
      message: json.message,
      merchantMessage: json.merchantMessage,
      merchantMustAct: json.merchantMustAct,
      retryable: json.retryable,
      qbStatusCode: json.qbStatusCode ?? undefined,
      hresult: json.hresult ?? undefined,
      details: json.details,
    });
  }
}

export interface SerializedConnectorError {
  code: string;
  message: string;
  merchantMessage: string;
  merchantMustAct: boolean;
  retryable: boolean;
  qbStatusCode: number | null;
  hresult: string | null;
  details: Record<string, unknown>;
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** Wraps anything thrown into a ConnectorError, keeping the original as `cause`. */
export function toConnectorError(value: unknown, code = 'INTERNAL_ERROR'): ConnectorError {
  if (value instanceof ConnectorError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ConnectorError({ code, message, cause: value });
}
