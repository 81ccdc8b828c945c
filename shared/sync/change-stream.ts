// One server-sent-events connection per workstation and server, fanned out to every replicated
// collection: a `change` event pokes that collection's replication (RxDB's 'RESYNC' item makes it
// pull from its checkpoint), a `resync` event or a server restart (new boot id) pokes them all.
// Reconnects with backoff; a skewed workstation clock is reported, never used for ordering.
import { Subject, type Observable, filter, map } from 'rxjs';
import { parseSseStream } from './sse';

export type FetchLike = typeof fetch;

export interface ServerHello {
  readonly bootId: string;
  readonly time: string;
  /** Server time minus workstation time, in ms, measured at connect. */
  readonly skewMs: number;
  /** True when the server restarted since the previous connection. */
  readonly restarted: boolean;
}

export type StreamPoke =
  | { readonly kind: 'change'; readonly collection: string }
  | { readonly kind: 'all'; readonly reason: 'resync' | 'restart' | 'reconnect' };

export interface ClinicChangeStreamOptions {
  readonly serverUrl: string;
  readonly getAccessToken: () => string | Promise<string>;
  readonly fetch?: FetchLike;
  /** The lowest checkpoint sequence the workstation holds; lets the server ask for a RESYNC. */
  readonly getCheckpoint?: () => number;
  readonly retryTimeMs?: number;
  readonly onHello?: (hello: ServerHello) => void;
  readonly onError?: (error: unknown) => void;
}

export class ClinicChangeStream {
  private readonly pokes = new Subject<StreamPoke>();
  private readonly options: ClinicChangeStreamOptions;
  private controller: AbortController | undefined;
  private lastBootId: string | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(options: ClinicChangeStreamOptions) {
    this.options = options;
  }

  /** Pokes for one collection, as RxDB's pull.stream$ items. */
  streamFor(collection: string): Observable<'RESYNC'> {
    return this.pokes.pipe(
      filter((poke) => poke.kind === 'all' || poke.collection === collection),
      map(() => 'RESYNC' as const),
    );
  }

  get events$(): Observable<StreamPoke> {
    return this.pokes.asObservable();
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    await this.running;
    this.pokes.complete();
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    let connectedBefore = false;
    while (!this.stopped) {
      try {
        await this.connectOnce(connectedBefore);
        attempt = 0;
        connectedBefore = true;
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error);
        attempt += 1;
      }
      if (this.stopped) return;
      const base = this.options.retryTimeMs ?? 5000;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(base * 2 ** Math.min(attempt, 5), 60_000)),
      );
    }
  }

  private async connectOnce(reconnect: boolean): Promise<void> {
    const doFetch = this.options.fetch ?? fetch;
    this.controller = new AbortController();
    const checkpoint = this.options.getCheckpoint?.() ?? 0;
    const query = checkpoint > 0 ? `?checkpoint=${checkpoint}` : '';
    const response = await doFetch(`${this.options.serverUrl}/v1/sync/stream${query}`, {
      headers: {
        authorization: `Bearer ${await this.options.getAccessToken()}`,
        accept: 'text/event-stream',
      },
      signal: this.controller.signal,
    });
    if (!response.ok || !response.body) {
      throw new Error(`change stream refused: HTTP ${response.status}`);
    }
    for await (const event of parseSseStream(response.body)) {
      if (event.event === 'hello') {
        const hello = JSON.parse(event.data) as { bootId: string; time: string };
        const restarted = this.lastBootId !== undefined && this.lastBootId !== hello.bootId;
        this.lastBootId = hello.bootId;
        this.options.onHello?.({
          ...hello,
          skewMs: Date.parse(hello.time) - Date.now(),
          restarted,
        });
        // Changes may have happened while we were away: every collection pulls once.
        if (reconnect || restarted) {
          this.pokes.next({ kind: 'all', reason: restarted ? 'restart' : 'reconnect' });
        }
      } else if (event.event === 'change') {
        const { collection } = JSON.parse(event.data) as { collection: string };
        this.pokes.next({ kind: 'change', collection });
      } else if (event.event === 'resync') {
        this.pokes.next({ kind: 'all', reason: 'resync' });
      }
    }
  }
}
