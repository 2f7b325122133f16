/**
 * The connector's JSON API as the admin app calls it. Inside Shopify admin every call carries a fresh App Bridge
 * session token; standalone, the browser sends the HttpOnly session cookie and changes carry the CSRF token the
 * server handed this page. Errors keep the server's merchant-facing message, code and details.
 */
import { takeEarly } from './prefetch.ts';

export interface ApiErrorBody {
  code: string;
  message: string;
  merchantMustAct?: boolean;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.status = status;
    this.details = body.details ?? {};
  }
}

export type Credentials =
  | { kind: 'embedded'; sessionToken: () => Promise<string> }
  | { kind: 'cookie'; csrfToken: string };

export interface Api {
  readonly credentials: Credentials;
  get<T>(path: string): Promise<T>;
  /** A GET whose 202 answer is data too (the reconciliation while QuickBooks has not answered). */
  getWithStatus<T>(path: string): Promise<{ status: number; body: T }>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Fetches a file the API serves and hands it to the browser as a download. */
  download(path: string, fileName: string): Promise<void>;
}

async function failure(response: Response): Promise<ApiError> {
  let body: ApiErrorBody = { code: `HTTP_${response.status}`, message: '' };
  try {
    const parsed = (await response.json()) as { error?: ApiErrorBody };
    if (parsed.error) body = parsed.error;
  } catch {
    // Not the API's JSON (a proxy's page): the status is all there is.
  }
  return new ApiError(response.status, body);
}

export function createApi(credentials: Credentials, onSignedOut: () => void): Api {
  async function headers(method: string): Promise<Record<string, string>> {
    if (credentials.kind === 'embedded') return { authorization: `Bearer ${await credentials.sessionToken()}` };
    return method === 'GET' ? {} : { 'x-csrf-token': credentials.csrfToken };
  }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const ready = method === 'GET' ? await takeEarly(path) : null;
    if (ready) return ready;
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(await headers(method)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401 && credentials.kind === 'cookie') onSignedOut();
    if (!response.ok) throw await failure(response);
    return response;
  }

  return {
    credentials,
    async get<T>(path: string) {
      return (await (await call('GET', path)).json()) as T;
    },
    async getWithStatus<T>(path: string) {
      const response = await call('GET', path);
      return { status: response.status, body: (await response.json()) as T };
    },
    async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
      const response = await call(method, path, body);
      const text = await response.text();
      return (text ? JSON.parse(text) : null) as T;
    },
    async download(path, fileName) {
      const response = await call('GET', path);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}

/** The standalone session: the CSRF token when the cookie is live, null when the browser must sign in. */
export async function cookieSession(): Promise<{ csrfToken: string } | null> {
  const response =
    (await takeEarly('/auth/session', [401])) ??
    (await fetch('/auth/session', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    }));
  if (response.status === 401) return null;
  if (!response.ok) throw await failure(response);
  return (await response.json()) as { csrfToken: string };
}

export async function signIn(token: string): Promise<void> {
  const response = await fetch('/auth/sign-in', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw await failure(response);
}

export async function signOut(csrfToken: string): Promise<void> {
  await fetch('/auth/sign-out', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken } });
}

export const shopPath = (shop: string, rest = '') => `/api/shops/${encodeURIComponent(shop)}${rest}`;
