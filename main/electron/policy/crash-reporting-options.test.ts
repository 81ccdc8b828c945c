// The shell's crash-report options on a real Sentry client (@sentry/node, the SDK under
// @sentry/electron's main side) sending to a local envelope receiver: what arrives carries no
// patient data. @sentry/electron itself needs Electron; the GitHub Actions job covers it.
import * as Sentry from '@sentry/node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  startSentryReceiver,
  type SentryReceiver,
} from '../../../shared/privacy/test-support/sentry-receiver';
import { crashReportingOptions } from './crash-reporting-options';

let receiver: SentryReceiver | undefined;
afterAll(async () => {
  await Sentry.close(2000);
  await receiver?.close();
});

describe('crash reporting options', () => {
  it('send an error event with every patient field scrubbed', async () => {
    receiver = await startSentryReceiver();

    Sentry.init({
      ...crashReportingOptions(receiver.dsn, '0.1.0-test'),
      defaultIntegrations: false,
    });
    Sentry.setExtra('patient', { firstName: 'Zebulon', birthDate: '1931-07-04' });
    Sentry.addBreadcrumb({ message: 'opened chart', data: { lastName: 'Quixotewright' } });
    Sentry.setUser({ id: 'staff-1', email: 'dentist@example.com', ip_address: '10.1.2.3' });
    Sentry.setContext('chart', { notes: 'pain on 36, allergic to penicillin' });
    Sentry.captureException(new Error('window failed to load'));
    await Sentry.flush(5000);
    await receiver.firstEvent();

    const all = receiver.envelopes.join('\n');
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
