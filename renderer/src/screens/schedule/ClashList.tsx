// The clashes of a booking or move in words: who else is in that chair or with that provider,
// and when. Reads the clinic day the clashes are on, so it works for any day, shown or not.
import { useTranslation } from 'react-i18next';
import type { BookingClash, ScheduledAppointment } from '../../../../shared/api/views';
import { useQuery } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { timeRange } from './words';

export function ClashList({
  day,
  clashes: given,
  of,
}: {
  /** The clinic-local day of the booking. */
  day: string;
  /** What a booking or move answered... */
  clashes?: readonly BookingClash[];
  /** ...or an appointment already on the schedule, with its `clashesWith`. */
  of?: ScheduledAppointment;
}) {
  const { t } = useTranslation('schedule');
  const { timeZone, locale } = useClinic();
  const { data } = useQuery('schedule.day', { day });
  const byId = new Map<string, ScheduledAppointment>(
    (data?.appointments ?? []).map((appointment) => [appointment.id, appointment]),
  );
  const providers = new Map((data?.providers ?? []).map((provider) => [provider.id, provider]));
  const chairs = new Map((data?.operatories ?? []).map((chair) => [chair.id, chair]));
  const clashes: readonly BookingClash[] =
    given ??
    (of?.clashesWith ?? []).flatMap((id) => {
      const other = byId.get(id);
      if (!other || !of) return [{ appointmentId: id, resource: 'operatory' as const }];
      return [
        ...(other.providerId === of.providerId
          ? [{ appointmentId: id, resource: 'provider' as const }]
          : []),
        ...(other.operatoryId === of.operatoryId
          ? [{ appointmentId: id, resource: 'operatory' as const }]
          : []),
      ];
    });
  return (
    <ul className="clash-list">
      {clashes.map((clash) => {
        const other = byId.get(clash.appointmentId);
        if (!other)
          return <li key={`${clash.appointmentId}-${clash.resource}`}>{t('clash.unknown')}</li>;
        const words = {
          name: other.patientName || t('unknownPatient'),
          time: timeRange(other.start, other.end, timeZone, locale),
          provider: providers.get(other.providerId)?.name ?? '',
          operatory: chairs.get(other.operatoryId)?.name ?? '',
        };
        return (
          <li key={`${clash.appointmentId}-${clash.resource}`}>
            {t(clash.resource === 'provider' ? 'clash.provider' : 'clash.operatory', words)}
          </li>
        );
      })}
    </ul>
  );
}
