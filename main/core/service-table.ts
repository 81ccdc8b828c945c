// The seam between the app API contract (shared/api) and the core's services: every method of
// the contract has exactly one handler here, and the dispatcher serves the whole table over any
// transport. Handlers get validated input and a CallContext; they never see the transport.
import type { Observable } from 'rxjs';
import type {
  CallableMethod,
  InputOf,
  MethodName,
  OutputOf,
  SubscriptionMethod,
} from '../../shared/api/contract';
import type { SessionUser } from '../../shared/api/views';
import type { ClinicDatabase } from '../../shared/domain/schemas/index';

/** What a handler knows about the call: who makes it, on which device, and when. */
export interface CallContext {
  /** The signed-in user, or null before sign-in (only `public` methods run then). */
  readonly user: SessionUser | null;
  readonly clinicId: string | null;
  readonly deviceId: string;
  /** The clinic's IANA time zone (day boundaries); the device's own zone before sign-in. */
  readonly timeZone: string;
  /** The current instant, as stored (`YYYY-MM-DDTHH:mm:ss.sssZ`). Injected so tests control time. */
  now(): string;
}

export type QueryOrCommandHandler<M extends CallableMethod> = (
  input: InputOf<M>,
  context: CallContext,
) => Promise<OutputOf<M>>;

export type SubscriptionHandler<M extends SubscriptionMethod> = (
  input: InputOf<M>,
  context: CallContext,
) => Observable<OutputOf<M>>;

export type HandlerOf<M extends MethodName> = M extends SubscriptionMethod
  ? SubscriptionHandler<M>
  : M extends CallableMethod
    ? QueryOrCommandHandler<M>
    : never;

/** The whole table; `satisfies ServiceTable` proves no method of the contract is missing. */
export type ServiceTable = { readonly [M in MethodName]: HandlerOf<M> };

/** A part of the table, as each service module provides it. */
export type PartialServiceTable = { readonly [M in MethodName]?: HandlerOf<M> };

/** The clinic database a signed-in workstation works on; null before the first sign-in. */
export interface DatabaseHandle {
  readonly db: ClinicDatabase;
}

/**
 * A failure a handler means to show: the dispatcher turns it into the contract's ApiErrorBody.
 * Messages must be safe to show and to log (no patient data).
 */
export class ServiceError extends Error {
  readonly code: 'not_found' | 'forbidden' | 'conflict' | 'invalid_input' | 'locked';

  constructor(code: ServiceError['code'], message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}
