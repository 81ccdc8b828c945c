import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { redactOptions, REDACTED } from './redact';
import { scrubEvent } from './scrub';

describe('scrubEvent', () => {
  it('drops bodies, cookies, auth headers and user contact; masks PHI keys at any depth', () => {
    const event = scrubEvent({
      request: {
        url: '/v1/sync/patients/push',
        data: '{"firstName":"Zebulon"}',
        cookies: { session: 'abc' },
        headers: { authorization: 'Bearer t', 'user-agent': 'ua' },
      },
      user: { id: 'u1', email: 'a@example.com', ip_address: '10.0.0.1' },
      extra: { patient: { firstName: 'Zebulon', nested: [{ birthDate: '1931-07-04' }] } },
      contexts: { app: { notes: 'allergic to latex' } },
      breadcrumbs: [{ message: 'x', data: { phones: [{ number: '555' }] } }],
    });
    const text = JSON.stringify(event);
    for (const secret of [
      'Zebulon',
      '1931-07-04',
      'latex',
      'a@example.com',
      '10.0.0.1',
      'Bearer',
      '555',
      'abc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(event.request?.url).toBe('/v1/sync/patients/push');
    expect(event.request?.headers).toEqual({ 'user-agent': 'ua' });
    expect(event.user).toEqual({ id: 'u1' });
    expect(text).toContain(REDACTED);
  });
});

describe('redactOptions', () => {
  it('censors PHI keys a few levels deep in pino output', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    pino({ redact: redactOptions }, sink).info(
      {
        req: { headers: { authorization: 'Bearer t' } },
        row: { doc: { lastName: 'Quixotewright' } },
      },
      'x',
    );
    expect(lines.join('')).not.toMatch(/Quixotewright|Bearer/);
  });
});
