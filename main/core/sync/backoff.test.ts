import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryGate, gatedFetch, retryDelayMs } from './backoff';

afterEach(() => {
  vi.useRealTimers();
});

describe('retryDelayMs', () => {
  const policy = { baseMs: 1000, capMs: 60_000 };

  it('doubles per attempt within the upper half of the step, up to the cap', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(2, policy, () => 0)).toBe(1000);
    expect(retryDelayMs(4, policy, () => 1)).toBe(8000);
    expect(retryDelayMs(7, policy, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, policy, () => 0)).toBe(30_000);
  });

  it('keeps jittering at the cap', () => {
    expect(retryDelayMs(20, policy, () => 0.5)).toBe(45_000);
  });

  it('never shrinks from one attempt to the next below the cap, whatever the jitter', () => {
    // Steps 1, 2, 4 ... 32 s; the next (64 s) is capped.
    for (let attempt = 1; attempt < 6; attempt += 1) {
      expect(retryDelayMs(attempt + 1, policy, () => 0)).toBeGreaterThanOrEqual(
        retryDelayMs(attempt, policy, () => 1),
      );
    }
  });
});

describe('RetryGate', () => {
  it('counts the failures of one round once, holds requests until the retry, then lets them on', async () => {
    vi.useFakeTimers();
    const gate = new RetryGate({ policy: { baseMs: 1000, capMs: 60_000 }, random: () => 1 });
    const tickets = await Promise.all([gate.admit(), gate.admit(), gate.admit()]);
    for (const ticket of tickets) gate.failed(ticket, 'unreachable');
    expect(gate.state).toMatchObject({ kind: 'closed', attempt: 1, reason: 'unreachable' });

    let admitted = false;
    const waiting = gate.admit().then((ticket) => {
      admitted = true;
      return ticket;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(admitted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const ticket = await waiting;
    expect(gate.state.kind).toBe('unknown');

    gate.failed(ticket, 'unreachable');
    expect(gate.state).toMatchObject({ kind: 'closed', attempt: 2 });
    gate.retryNow();
    const again = await gate.admit();
    gate.succeeded();
    expect(gate.state.kind).toBe('open');
    gate.failed(again, 'unreachable');
    // A stale ticket from before the success does not close the gate again.
    expect(gate.state.kind).toBe('open');
    const fresh = await gate.admit();
    gate.failed(fresh, 'rejected');
    expect(gate.state).toMatchObject({ kind: 'closed', attempt: 1, reason: 'rejected' });
    gate.dispose();
  });

  it('gatedFetch closes the gate on network errors and 5xx, not on 401', async () => {
    const gate = new RetryGate({ random: () => 0 });
    const answers: (Response | Error)[] = [
      new Response('{}', { status: 401 }),
      new Response('{}', { status: 503 }),
    ];
    const seen: number[] = [];
    const doFetch = gatedFetch(
      gate,
      () => {
        const next = answers.shift()!;
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      { onResponse: (_url, response) => seen.push(response.status) },
    );
    expect((await doFetch('http://x/a')).status).toBe(401);
    expect(gate.state.kind).toBe('unknown');
    expect((await doFetch('http://x/b')).status).toBe(503);
    expect(gate.state).toMatchObject({ kind: 'closed', reason: 'unreachable' });
    expect(seen).toEqual([401, 503]);
    gate.retryNow();
    answers.push(new TypeError('fetch failed'));
    await expect(doFetch('http://x/c')).rejects.toThrow('fetch failed');
    expect(gate.state).toMatchObject({ kind: 'closed', attempt: 2 });
    gate.dispose();
  });
});
