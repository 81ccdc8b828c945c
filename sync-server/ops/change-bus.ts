// Tells the open streams that a clinic's collection changed. In one process an EventEmitter is
// enough; with Redis every instance publishes its writes and hears everyone else's.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export interface ChangeEvent {
  readonly clinicId: string;
  readonly collection: string;
  readonly seq: number;
}

export type ChangeListener = (event: ChangeEvent) => void;

export const CHANGE_CHANNEL = 'topsmile:sync:changes';

export class ChangeBus {
  private readonly emitter = new EventEmitter();
  private readonly instanceId = randomUUID();
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Joins the Redis channel; resolves once subscribed so no later write is missed. */
  async connectRedis(
    url: string,
    onError: (error: Error) => void = () => undefined,
  ): Promise<void> {
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    // ioredis reconnects by itself; errors are reported, never thrown at the process.
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const parsed = parseRemote(message);
      if (parsed && parsed.origin !== this.instanceId) this.deliver(parsed.event);
    });
    await this.subscriber.subscribe(CHANGE_CHANNEL);
  }

  publish(event: ChangeEvent): void {
    this.deliver(event);
    // Fire and forget: a lost poke only delays a client until its next pull or heartbeat.
    this.publisher
      ?.publish(CHANGE_CHANNEL, JSON.stringify({ origin: this.instanceId, ...event }))
      .catch(() => undefined);
  }

  subscribe(clinicId: string, listener: ChangeListener): () => void {
    this.emitter.on(clinicId, listener);
    return () => this.emitter.off(clinicId, listener);
  }

  private deliver(event: ChangeEvent): void {
    this.emitter.emit(event.clinicId, event);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    await Promise.all(
      [this.publisher, this.subscriber].map(async (client) => {
        if (!client) return;
        try {
          await client.quit();
        } catch {
          client.disconnect();
        }
      }),
    );
  }
}

function parseRemote(message: string): { origin: string; event: ChangeEvent } | undefined {
  try {
    const value = JSON.parse(message) as Record<string, unknown>;
    const { origin, clinicId, collection, seq } = value;
    if (
      typeof origin === 'string' &&
      typeof clinicId === 'string' &&
      typeof collection === 'string' &&
      typeof seq === 'number'
    ) {
      return { origin, event: { clinicId, collection, seq } };
    }
  } catch {
    // Not ours: ignore.
  }
  return undefined;
}
