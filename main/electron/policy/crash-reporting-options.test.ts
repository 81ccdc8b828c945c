// The shell's crash-report options on a real Sentry client (@sentry/node, the SDK under
// @sentry/electron's main side) sending to a local envelope receiver: what arrives carries no
// patient data. @sentry/electron itself needs Electron; the GitHub Actions job covers it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as Sentry from '@sentry/node';
import { afterAll, describe, expect, it } from 'vitest';
import { crashReportingOptions } from './crash-reporting-options';

let receiver: Server | undefined;
afterAll(async () => {
  await Sentry.close(2000);
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

describe('crash reporting options', () => {
  it('send an error event with every patient field scrubbed', async () => {
    const envelopes: string[] = [];
    let arrived: () => void = () => undefined;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        envelopes.push(body.toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        if (body.toString('utf8').includes('"type":"event"')) arrived();
      });
    });
    await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;

    Sentry.init({
      ...crashReportingOptions(`http://public@127.0.0.1:${port}/1`, '0.1.0-test'),
      defaultIntegrations: false,
    });
    Sentry.setExtra('patient', { firstName: 'Zebulon', birthDate: '1931-07-04' });
    Sentry.addBreadcrumb({ message: 'opened chart', data: { lastName: 'Quixotewright' } });
    Sentry.setUser({ id: 'staff-1', email: 'dentist@example.com', ip_address: '10.1.2.3' });
    Sentry.setContext('chart', { notes: 'pain on 36, allergic to penicillin' });
    Sentry.captureException(new Error('window failed to load'));
    await Sentry.flush(5000);
    await Promise.race([
      received,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no envelope')), 10_000)),
    ]);

    const all = envelopes.join('\n');
    expect(all).toContain('"type":"event"');
    expect(all).toContain('window failed to load');
    expect(all).toContain('0.1.0-test');
    expect(all).toContain('staff-1');
    for (const secret of [
      'Zebulon',
      'Quixotewright',
      '1931-07-04',
      'dentist@example.com',
      '10.1.2.3',
      'penicillin',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('[redacted]');
  });
});
