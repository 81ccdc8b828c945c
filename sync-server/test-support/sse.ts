// Reads a server-sent-events stream in tests: collects events and waits for the next matching one.
import { parseSseStream, type SseEvent } from '../../shared/sync/sse';

export interface SseProbe {
  readonly status: number;
  readonly events: SseEvent[];
  /** Resolves with the first event (already received or future) matching `predicate`. */
  next(predicate: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves once the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, token: string): Promise<SseProbe> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let consumed = 0;
  const ended = (async () => {
    if (!response.body) return;
    try {
      for await (const event of parseSseStream(response.body)) {
        events.push(event);
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // Aborted by close().
    }
  })();
  return {
    status: response.status,
    events,
    ended,
    next(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          for (let index = consumed; index < events.length; index += 1) {
            const event = events[index] as SseEvent;
            if (predicate(event)) {
              consumed = index + 1;
              resolve(event);
              return true;
            }
          }
          return false;
        };
        if (check()) return;
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = (): void => {
          if (check()) {
            clearTimeout(timer);
            waiters.delete(wake);
          }
        };
        waiters.add(wake);
      });
    },
    close() {
      controller.abort();
    },
  };
}
