// The sync server's auth endpoints, as the workstation calls them. Errors carry only what is safe
// to show: the server's own refusal text (it never names patients) or a fixed sentence.
import type { Currency, StaffRole } from '../../../shared/domain/enums';

export interface LoginReply {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds the access token lasts. */
  readonly expiresIn: number;
  readonly deviceId: string;
  readonly user: {
    readonly id: string;
    readonly email: string;
    readonly name: string;
    readonly role: StaffRole;
    readonly providerId: string | null;
  };
  readonly clinic: {
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly currency: Currency;
  };
}

export type TokenPairReply = Pick<LoginReply, 'accessToken' | 'refreshToken' | 'expiresIn'>;

/** The server answered and said no (wrong password, session ended, device revoked, rate limit). */
export class AuthRefusedError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'AuthRefusedError';
    this.status = status;
  }
}

/** No answer from the server (down, unreachable, or not a TopSmile sync server). */
export class ServerUnreachableError extends Error {
  constructor(message = 'The sync server cannot be reached. Check the address and the network.') {
    super(message);
    this.name = 'ServerUnreachableError';
  }
}

const AUTH_TIMEOUT_MS = 15_000;

async function post<T>(
  doFetch: typeof fetch,
  serverUrl: string,
  path: string,
  body: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await doFetch(`${serverUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(AUTH_TIMEOUT_MS),
    });
  } catch {
    throw new ServerUnreachableError();
  }
  if (response.status >= 500) {
    throw new ServerUnreachableError(
      `The sync server could not answer (HTTP ${response.status}); try again later.`,
    );
  }
  if (response.status === 204) return undefined as T;
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ServerUnreachableError('That address does not answer like a TopSmile sync server.');
  }
  if (!response.ok) {
    const message =
      response.status === 429
        ? 'Too many sign-in attempts; wait a minute and try again.'
        : typeof (json as { message?: unknown }).message === 'string'
          ? (json as { message: string }).message
          : `The sync server refused (HTTP ${response.status}).`;
    throw new AuthRefusedError(response.status, message);
  }
  return json as T;
}

export function normalizeServerUrl(serverUrl: string): string {
  return serverUrl.trim().replace(/\/+$/, '');
}

export function login(
  doFetch: typeof fetch,
  serverUrl: string,
  body: {
    clinic: string;
    email: string;
    password: string;
    deviceName: string;
    deviceId?: string;
  },
): Promise<LoginReply> {
  return post<LoginReply>(doFetch, serverUrl, '/v1/auth/login', body);
}

export function refresh(
  doFetch: typeof fetch,
  serverUrl: string,
  refreshToken: string,
): Promise<TokenPairReply> {
  return post<TokenPairReply>(doFetch, serverUrl, '/v1/auth/refresh', { refreshToken });
}

export async function logout(
  doFetch: typeof fetch,
  serverUrl: string,
  refreshToken: string,
): Promise<void> {
  await post<unknown>(doFetch, serverUrl, '/v1/auth/logout', { refreshToken });
}
