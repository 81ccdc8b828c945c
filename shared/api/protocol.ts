// The messages that carry the app API between the renderer and the core. The same messages go
// over an Electron MessagePort and over the browser-mode WebSocket, so the transports only move
// them and know nothing about the methods.
import type { ValidationIssue } from '../domain/validation';
import type { ApiErrorBody, ApiErrorCode } from './views';
import { API_ERROR_CODES } from './views';

/** Where the browser-mode host serves the API, on the same origin as the page. */
export const API_PATH = '/api';
/** The WebSocket subprotocol of the browser-mode API host. */
export const API_SUBPROTOCOL = 'topsmile.v1';
/** The launch secret travels as a second subprotocol: never in a URL that could be logged. */
export const SECRET_SUBPROTOCOL_PREFIX = 'topsmile.secret.';

/** The subprotocols a page (or a Node client) offers to connect with `secret`. */
export function apiSubprotocols(secret: string): string[] {
  return [API_SUBPROTOCOL, SECRET_SUBPROTOCOL_PREFIX + secret];
}

export type ClientMessage =
  | { readonly type: 'call'; readonly id: number; readonly method: string; readonly input: unknown }
  | {
      readonly type: 'subscribe';
      readonly id: number;
      readonly method: string;
      readonly input: unknown;
    }
  | { readonly type: 'unsubscribe'; readonly id: number };

export type ServerMessage =
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly ok: false;
      readonly error: ApiErrorBody;
    }
  | { readonly type: 'event'; readonly id: number; readonly value: unknown }
  | { readonly type: 'event-error'; readonly id: number; readonly error: ApiErrorBody };

/** A failed call, as the renderer sees it. `message` is always safe to show and to log. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: readonly ValidationIssue[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }

  toBody(): ApiErrorBody {
    return this.issues.length > 0
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses what arrived from a renderer; anything malformed is `null` (and is dropped). */
export function parseClientMessage(raw: unknown): ClientMessage | null {
  if (!isRecord(raw) || typeof raw.id !== 'number' || !Number.isSafeInteger(raw.id)) return null;
  if (raw.type === 'unsubscribe') return { type: 'unsubscribe', id: raw.id };
  if ((raw.type === 'call' || raw.type === 'subscribe') && typeof raw.method === 'string') {
    return { type: raw.type, id: raw.id, method: raw.method, input: raw.input ?? {} };
  }
  return null;
}

/** Parses what arrived from the core; anything malformed is `null`. */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (!isRecord(raw) || typeof raw.id !== 'number') return null;
  if (raw.type === 'result' && raw.ok === true) {
    return { type: 'result', id: raw.id, ok: true, value: raw.value };
  }
  if ((raw.type === 'result' || raw.type === 'event-error') && isErrorBody(raw.error)) {
    return raw.type === 'result'
      ? { type: 'result', id: raw.id, ok: false, error: raw.error }
      : { type: 'event-error', id: raw.id, error: raw.error };
  }
  if (raw.type === 'event') return { type: 'event', id: raw.id, value: raw.value };
  return null;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    isRecord(value) &&
    typeof value.message === 'string' &&
    (API_ERROR_CODES as readonly unknown[]).includes(value.code)
  );
}
