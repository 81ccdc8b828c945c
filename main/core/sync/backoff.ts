// Retry with exponential backoff and jitter, shared by every request of the sync client.
//
// Why a gate around fetch rather than RxDB's `retryTime`: RxDB retries each collection's pull and
// push on its own fixed timer, so ten collections and the change stream would each hammer an
// unreachable server. Every sync request goes through one RetryGate instead: the first failure of
// a round closes the gate for a backoff delay, requests that start meanwhile wait at the gate, and
// the first success opens it again. RxDB's own retryTime stays short (it only paces the loop
// around a request that is already waiting at the gate).
import { BehaviorSubject, type Observable } from 'rxjs';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60_000 };

/**
 * Delay before retry number `attempt` (1 for the first retry): the exponential step
 * `min(cap, base * 2^(attempt-1))`, jittered into its upper half ("equal jitter"), so workstations
 * that lost the server together do not come back together. Below the cap a delay is never shorter
 * than the one before; at the cap it stays between cap/2 and cap.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export type GateState =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'open'; readonly since: number }
  | {
      readonly kind: 'closed';
      readonly attempt: number;
      /** Epoch ms when waiting requests are let through again. */
      readonly retryAt: number;
      readonly reason: FailureReason;
    };

/** `unreachable`: no answer or a 5xx/429; `rejected`: the server answered but refused. */
export type FailureReason = 'unreachable' | 'rejected';

export interface RetryGateOptions {
  readonly policy?: BackoffPolicy;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** An admission ticket: failures reported with an old ticket do not count twice. */
export interface GateTicket {
  readonly generation: number;
}

export class RetryGate {
  private readonly policy: BackoffPolicy;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly stateSubject = new BehaviorSubject<GateState>({ kind: 'unknown' });
  private generation = 0;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];

  constructor(options: RetryGateOptions = {}) {
    this.policy = options.policy ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get state(): GateState {
    return this.stateSubject.value;
  }

  get state$(): Observable<GateState> {
    return this.stateSubject.asObservable();
  }

  /** Waits while the gate is closed; rejects when `signal` aborts. */
  async admit(signal?: AbortSignal | null): Promise<GateTicket> {
    while (this.state.kind === 'closed') {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(signal?.reason ?? new Error('aborted'));
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    return { generation: this.generation };
  }

  succeeded(): void {
    this.attempt = 0;
    if (this.state.kind !== 'open') {
      this.generation += 1;
      this.clearTimer();
      this.stateSubject.next({ kind: 'open', since: this.now() });
      this.release();
    }
  }

  /** One failed request; the first failure of a round closes the gate for the next delay. */
  failed(ticket: GateTicket, reason: FailureReason): void {
    if (ticket.generation !== this.generation) return;
    this.generation += 1;
    this.attempt += 1;
    const delay = retryDelayMs(this.attempt, this.policy, this.random);
    this.clearTimer();
    this.stateSubject.next({
      kind: 'closed',
      attempt: this.attempt,
      retryAt: this.now() + delay,
      reason,
    });
    this.timer = setTimeout(() => this.reopenForRetry(), delay);
    this.timer.unref?.();
  }

  /** "Sync now": let waiting requests through at once (the backoff step is kept). */
  retryNow(): void {
    if (this.state.kind === 'closed') this.reopenForRetry();
  }

  dispose(): void {
    this.clearTimer();
    this.release();
  }

  private reopenForRetry(): void {
    this.clearTimer();
    // The round after the wait: unknown until a request succeeds or fails again.
    this.stateSubject.next({ kind: 'unknown' });
    this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export interface GatedFetchHooks {
  /** Every answer, before it is handed back (e.g. a 401 makes the session refresh its token). */
  readonly onResponse?: (url: string, response: Response, init: RequestInit | undefined) => void;
}

/**
 * `fetch` behind the gate. Network failures and 5xx/429 answers close it (unreachable); other
 * refusals except 401 (which the session handles by refreshing) close it too, so a request the
 * server keeps refusing is retried with backoff rather than in a tight loop.
 */
export function gatedFetch(
  gate: RetryGate,
  inner: typeof fetch = fetch,
  hooks: GatedFetchHooks = {},
): typeof fetch {
  return async (input, init) => {
    const ticket = await gate.admit(init?.signal);
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      if (!isAbort(error)) gate.failed(ticket, 'unreachable');
      throw error;
    }
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (response.ok) gate.succeeded();
    else if (response.status >= 500 || response.status === 429) gate.failed(ticket, 'unreachable');
    else if (response.status !== 401) gate.failed(ticket, 'rejected');
    hooks.onResponse?.(url, response, init);
    return response;
  };
}
