// Times and names as the schedule writes them, shared by the events and the dialogs.
import type { TFunction } from 'i18next';
import type { ScheduledAppointment } from '../../../../shared/api/views';
import { formatTime } from '../../i18n/format';
import { showsClash } from './layout';

/**
 * "9:00 AM – 9:30 AM" in the clinic's zone. Intl puts narrow no-break spaces in some locales;
 * plain spaces read the same and are what people (and tests) type.
 */
export function timeRange(start: string, end: string, timeZone: string, locale: string): string {
  const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');
  return `${plain(formatTime(start, timeZone, locale))} – ${plain(formatTime(end, timeZone, locale))}`;
}

/**
 * What a screen reader says for an event, and what its button is named: the patient and the
 * time first, so a person (or a test) finds a booking by who and when.
 */
export function eventLabel(
  appointment: ScheduledAppointment,
  typeName: string | undefined,
  timeZone: string,
  locale: string,
  t: TFunction<'schedule'>,
): string {
  const parts = [
    appointment.patientName || t('unknownPatient'),
    timeRange(appointment.start, appointment.end, timeZone, locale),
    typeName ?? t('unknownType'),
    t(`status.${appointment.status}`),
    ...(appointment.status === 'scheduled' ? [t(`confirmation.${appointment.confirmation}`)] : []),
    ...(showsClash(appointment) ? [t('doubleBooked')] : []),
    ...(appointment.patientHasAlerts ? [t('alert')] : []),
  ];
  return parts.join(', ');
}
