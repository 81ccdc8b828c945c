// With SENTRY_DSN pointing at a local HTTP server, a server error carrying patient data reaches
// it as an envelope with no patient data in it.
import * as Sentry from '@sentry/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  startSentryReceiver,
  type SentryReceiver,
} from '../../shared/privacy/test-support/sentry-receiver';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import { startServer } from '../server';
import { createTestClinic, loginAs, makeTempDir, postJson, testEnv } from '../test-support/harness';

const temp = makeTempDir();
let receiver: SentryReceiver | undefined;
afterAll(async () => {
  await receiver?.close();
  temp.cleanup();
});

describe('Sentry', () => {
  it('receives the error event with every patient field scrubbed', async () => {
    receiver = await startSentryReceiver();

    const env = testEnv(temp.dir, { sentryDsn: receiver.dsn });
    const server = await startServer(env);
    try {
      const clinic = await createTestClinic(server.store);
      const session = await loginAs(server, clinic, 'dentist');
      Sentry.setExtra('patient', { firstName: 'Zebulon', birthDate: '1931-07-04' });
      Sentry.addBreadcrumb({ message: 'opened chart', data: { lastName: 'Quixotewright' } });
      Sentry.setUser({ id: session.user.id, email: 'dentist@example.com', ip_address: '10.1.2.3' });
      // A closed store makes the push fail inside the server: a genuine 500.
      await server.store.close();
      const patient = {
        ...sampleDocument('patients'),
        id: newId(),
        clinicId: clinic.clinic.id,
        firstName: 'Zebulon',
        lastName: 'Quixotewright',
        birthDate: '1931-07-04',
        _deleted: false,
      };
      const response = await postJson(
        `${server.url}/v1/sync/patients/push`,
        [{ newDocumentState: patient }],
        session.accessToken,
      );
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe('internal');
      expect(body.message).not.toContain('Zebulon');
      await receiver.firstEvent();
    } finally {
      await server.app.close();
    }
    const all = receiver.envelopes.join('\n');
    expect(all).toContain('"type":"event"');
    // Scrubbing keeps the useful parts: which route failed, and the request id.
    expect(all).toMatch(/\/v1\/sync\/:collection\/push/);
    expect(all).toContain('requestId');
    for (const secret of [
      'Zebulon',
      'Quixotewright',
      '1931-07-04',
      'dentist@example.com',
      '10.1.2.3',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain('[redacted]');
  });
});
