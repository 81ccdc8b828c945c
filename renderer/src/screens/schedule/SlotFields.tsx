// The "when and where" of an appointment, shared by booking and moving: day, start time, length,
// provider and chair, their checks, and the clash warning that must be confirmed ("... anyway").
// Each form lays the fields out in its own order and adds its own (patient, type, notes).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/api/protocol';
import type { BookingClash } from '../../../../shared/api/views';
import {
  addMinutesToInstant,
  clinicLocalToInstant,
  isCalendarDate,
  isTimeOfDay,
} from '../../../../shared/domain/time';
import { fieldError } from '../../api/hooks';
import { useClinic } from '../../app/session';
import { Field } from '../../components/Field';
import { ClashList } from './ClashList';
import type { ScheduleLists } from './layout';

export interface SlotValues {
  /** Clinic-local calendar day, YYYY-MM-DD. */
  readonly day: string;
  /** Clinic-local time of day, HH:mm. */
  readonly time: string;
  /** Minutes, as typed. */
  readonly duration: string;
  readonly providerId: string;
  readonly operatoryId: string;
}

type SlotErrors = Partial<Record<'time' | 'duration', string>>;

export interface Slot {
  readonly values: SlotValues;
  readonly errors: SlotErrors;
  /** What the core answered "needs confirmation" with; null when nothing is pending. */
  readonly clashes: readonly BookingClash[] | null;
  setClashes(clashes: readonly BookingClash[] | null): void;
  change(patch: Partial<SlotValues>): void;
  /** Wraps a setter so that using it also drops a pending clash warning. */
  edited<T>(set: (value: T) => void): (value: T) => void;
  /** The length `minutes` (an appointment type's), unless the person typed one. */
  suggestDuration(minutes: number): void;
  /** Shows the day/time and length messages; the instants when both are valid, else null. */
  check(): { start: string; end: string } | null;
}

export function useSlot(initial: SlotValues, durationTyped = false): Slot {
  const { t } = useTranslation('schedule');
  const { timeZone } = useClinic();
  const [values, setValues] = useState(initial);
  const [typed, setTyped] = useState(durationTyped);
  const [errors, setErrors] = useState<SlotErrors>({});
  const [clashes, setClashes] = useState<readonly BookingClash[] | null>(null);

  // Whatever changes after a clash warning makes it stale: ask again on the next submit.
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setClashes(null);
    };
  const change = edited((patch: Partial<SlotValues>) => {
    if (patch.duration !== undefined) setTyped(true);
    setValues((current) => ({ ...current, ...patch }));
  });

  return {
    values,
    errors,
    clashes,
    setClashes,
    change,
    edited,
    suggestDuration: (minutes) => {
      if (!typed) setValues((current) => ({ ...current, duration: String(minutes) }));
    },
    check: () => {
      const { day, time } = values;
      const minutes = Number(values.duration);
      const found: SlotErrors = {};
      if (!isCalendarDate(day) || !isTimeOfDay(time)) found.time = t('book.badTime');
      if (!Number.isInteger(minutes) || minutes < 5 || minutes > 720) {
        found.duration = t('book.badDuration');
      }
      setErrors(found);
      if (found.time || found.duration) return null;
      const start = clinicLocalToInstant(day, time, timeZone);
      return { start, end: addMinutesToInstant(start, minutes) };
    },
  };
}

/** Day and start time, side by side; a refused start or end is shown under the day. */
export function DayAndStartFields({ slot, apiError }: { slot: Slot; apiError: ApiError | null }) {
  const { t } = useTranslation('schedule');
  const error = slot.errors.time ?? fieldError(apiError, 'start') ?? fieldError(apiError, 'end');
  return (
    <>
      <Field label={t('field.day')} error={error}>
        {(props) => (
          <input
            {...props}
            type="date"
            value={slot.values.day}
            onChange={(event) => slot.change({ day: event.target.value })}
          />
        )}
      </Field>
      <Field label={t('field.start')}>
        {(props) => (
          <input
            {...props}
            type="time"
            step={300}
            value={slot.values.time}
            onChange={(event) => slot.change({ time: event.target.value })}
          />
        )}
      </Field>
    </>
  );
}

export function DurationField({ slot }: { slot: Slot }) {
  const { t } = useTranslation('schedule');
  return (
    <Field label={t('field.duration')} error={slot.errors.duration}>
      {(props) => (
        <input
          {...props}
          type="number"
          min={5}
          max={720}
          step={5}
          inputMode="numeric"
          value={slot.values.duration}
          onChange={(event) => slot.change({ duration: event.target.value })}
        />
      )}
    </Field>
  );
}

/**
 * The provider or the chair: the active ones, plus the chosen one even if it was retired since.
 * `missing` is the form's own message (nothing chosen); otherwise the core's refusal is shown.
 */
export function ResourceField({
  slot,
  kind,
  lists,
  apiError,
  missing,
  placeholder,
}: {
  slot: Slot;
  kind: 'provider' | 'operatory';
  lists: ScheduleLists;
  apiError: ApiError | null;
  missing?: string | undefined;
  /** An empty first option ("Choose…"), for a form that starts with nothing chosen. */
  placeholder?: string;
}) {
  const { t } = useTranslation('schedule');
  const key = kind === 'provider' ? 'providerId' : 'operatoryId';
  const value = slot.values[key];
  const items = (kind === 'provider' ? lists.providers : lists.operatories).filter(
    (item) => item.active || item.id === value,
  );
  return (
    <Field label={t(`field.${kind}`)} error={missing ?? fieldError(apiError, key)}>
      {(props) => (
        <select
          {...props}
          value={value}
          onChange={(event) => slot.change({ [key]: event.target.value })}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** The pending clashes in words, and the question the "... anyway" button answers. */
export function ClashWarning({ slot, question }: { slot: Slot; question: string }) {
  const { t } = useTranslation('schedule');
  if (!slot.clashes) return null;
  return (
    <div className="warning" role="alert">
      <p>{t('clash.intro')}</p>
      <ClashList day={slot.values.day} clashes={slot.clashes} />
      <p>{question}</p>
    </div>
  );
}

/** One submit button at a time, so "Book" never stands beside "Book anyway" (nor "Move"...). */
export function SlotSubmit({
  slot,
  pending,
  labels,
}: {
  slot: Slot;
  pending: boolean;
  /** While the command runs, once clashes are listed, and otherwise. */
  labels: { pending: string; anyway: string; idle: string };
}) {
  return (
    <button type="submit" disabled={pending} className={slot.clashes ? 'danger' : ''}>
      {pending ? labels.pending : slot.clashes ? labels.anyway : labels.idle}
    </button>
  );
}
