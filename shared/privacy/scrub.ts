// Sentry `beforeSend` / `beforeSendTransaction` filter: an error report leaves the process with
// no request body, no cookies or auth headers, no user contact, and every value stored under a
// patient-data key masked wherever it sits (extra, contexts, breadcrumbs, tags). Structural
// types keep it usable from @sentry/node and @sentry/electron alike.
import { isSensitiveKey } from './phi-keys';
import { REDACTED } from './redact';

type Json = unknown;

interface ScrubbableRequest {
  data?: unknown;
  cookies?: unknown;
  headers?: Record<string, string> | undefined;
  query_string?: unknown;
  [key: string]: unknown;
}

export interface ScrubbableEvent {
  request?: ScrubbableRequest | undefined;
  user?: Record<string, unknown> | undefined;
  extra?: Record<string, unknown> | undefined;
  contexts?: Record<string, unknown> | undefined;
  tags?: Record<string, unknown> | undefined;
  breadcrumbs?: Array<Record<string, unknown>> | undefined;
  exception?: unknown;
  message?: string | undefined;
  [key: string]: unknown;
}

const MAX_DEPTH = 12;

/** A deep copy of `value` with every sensitive key's value replaced by REDACTED. */
export function maskSensitive(value: Json, depth = 0): Json {
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => maskSensitive(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      out[key] = isSensitiveKey(key) ? REDACTED : maskSensitive(inner, depth + 1);
    }
    return out;
  }
  return value;
}

function scrubRequest(request: ScrubbableRequest): ScrubbableRequest {
  const { data: _data, cookies: _cookies, query_string: _query, headers, ...rest } = request;
  const safeHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!isSensitiveKey(name)) safeHeaders[name] = value;
  }
  return { ...(maskSensitive(rest) as ScrubbableRequest), headers: safeHeaders };
}

/** Returns the event made safe to send (never null: dropping reports would hide real faults). */
export function scrubEvent<E extends object>(event: E): E {
  const out: ScrubbableEvent = { ...(event as ScrubbableEvent) };
  if (out.request) out.request = scrubRequest(out.request);
  if (out.user) {
    // Keep only opaque ids: no email, ip address or name.
    const id = out.user['id'];
    out.user = id === undefined ? {} : { id };
  }
  if (out.extra) out.extra = maskSensitive(out.extra) as Record<string, unknown>;
  if (out.contexts) out.contexts = maskSensitive(out.contexts) as Record<string, unknown>;
  if (out.tags) out.tags = maskSensitive(out.tags) as Record<string, unknown>;
  if (out.breadcrumbs) {
    out.breadcrumbs = out.breadcrumbs.map(
      (crumb) => maskSensitive(crumb) as Record<string, unknown>,
    );
  }
  if (out.exception) out.exception = maskSensitive(out.exception);
  return out as unknown as E;
}
