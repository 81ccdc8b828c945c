// A local Sentry ingest endpoint for tests: a real HTTP peer the SDK sends its envelopes to, so a
// test can read exactly what would leave the machine.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface SentryReceiver {
  /** A DSN pointing at this receiver. */
  readonly dsn: string;
  /** Every envelope body received so far, decompressed. */
  readonly envelopes: readonly string[];
  /** Resolves once an error event has arrived; rejects after `timeoutMs`. */
  firstEvent(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSentryReceiver(): Promise<SentryReceiver> {
  const envelopes: string[] = [];
  let arrived: () => void = () => undefined;
  const received = new Promise<void>((resolve) => (arrived = resolve));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      const text = body.toString('utf8');
      envelopes.push(text);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (text.includes('"type":"event"')) arrived();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes,
    firstEvent: (timeoutMs = 10_000) =>
      Promise.race([
        received,
        new Promise<void>((_, reject) =>
          setTimeout(() => reject(new Error('no envelope')), timeoutMs),
        ),
      ]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
