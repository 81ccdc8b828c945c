// The front desk's schedule: a day with one column per chair (or per provider, as this
// workstation's setting says) that follows other workstations live, and a week. Click or drag
// over an empty time to book, drag an appointment to move or resize it, open one (click or
// Enter) for its status, confirmation and the keyboard Move form.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Calendar,
  dateFnsLocalizer,
  type EventProps,
  type HeaderProps,
  type ResourceHeaderProps,
  type SlotInfo,
  type stringOrDate,
} from 'react-big-calendar';
import dragAndDropModule, {
  type EventInteractionArgs,
} from 'react-big-calendar/lib/addons/dragAndDrop';
import 'react-big-calendar/lib/css/react-big-calendar.css';
import 'react-big-calendar/lib/addons/dragAndDrop/styles.css';
import { format, getDay, parse, startOfWeek } from 'date-fns';
import { enUS, ptBR } from 'date-fns/locale';
import type { BookingClash, ScheduledAppointment } from '../../../../shared/api/views';
import { clinicDayOf, clinicToday, isCalendarDate } from '../../../../shared/domain/time';
import type { InputOf } from '../../../../shared/api/contract';
import { asApiError, useApi, useQuery, useSubscription } from '../../api/hooks';
import { useClinic, useSettings } from '../../app/session';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatCalendarDate } from '../../i18n/format';
import { AppointmentDialog } from './AppointmentDialog';
import { BookingDialog, type BookingPrefill } from './BookingDialog';
import { ClashList } from './ClashList';
import {
  dayToWallClock,
  instantToWallClock,
  shiftDay,
  wallClockDay,
  wallClockTime,
  wallClockToInstant,
  weekStartOf,
} from './clinic-time';
import {
  eventColours,
  hoursShown,
  resourcesFor,
  toEvents,
  weekAppointments,
  type ColumnMode,
  type ScheduleEvent,
  type ScheduleLists,
  type ScheduleResource,
} from './layout';
import { eventLabel, timeRange } from './words';
import './schedule.css';

const LOCALES = { en: enUS, 'pt-BR': ptBR } as const;
const localizer = dateFnsLocalizer({ format, parse, startOfWeek, getDay, locales: LOCALES });
// The addon is CommonJS: the bundler hands over its whole `exports` as the default import, while
// Node (the tests) hands over `exports.default`.
const withDragAndDrop =
  (dragAndDropModule as unknown as { default?: typeof dragAndDropModule }).default ??
  dragAndDropModule;
const DnDCalendar = withDragAndDrop<ScheduleEvent, ScheduleResource>(Calendar);

type View = 'day' | 'week';
/** Where a dragged event is drawn until the core answers: the grid place and the new times. */
type Override = {
  start: Date;
  end: Date;
  resourceId?: string;
  appointment: ScheduledAppointment;
};
type PendingMove = { input: InputOf<'appointments.move'>; clashes: readonly BookingClash[] };

const asDate = (value: stringOrDate) => (value instanceof Date ? value : new Date(value));

/** The event's face; its visible parts are hidden from screen readers, which read the label. */
function EventContent({ event }: EventProps<ScheduleEvent>) {
  const { t } = useTranslation('schedule');
  const { timeZone, locale } = useClinic();
  const { appointment } = event;
  return (
    <>
      <span className="visually-hidden">
        {eventLabel(appointment, event.type?.name, timeZone, locale, t)}
      </span>
      <span aria-hidden="true" className="ev-face">
        <span className="ev-name">
          {appointment.patientHasAlerts && (
            <span className="ev-alert" title={t('alert')}>
              ⚠{' '}
            </span>
          )}
          {appointment.patientName || t('unknownPatient')}
        </span>
        <span className="ev-meta">
          {timeRange(appointment.start, appointment.end, timeZone, locale)} ·{' '}
          {event.type?.name ?? t('unknownType')}
        </span>
        <span className="ev-badges">
          {event.doubleBooked && (
            <span className="ev-badge ev-badge-clash">{t('doubleBooked')}</span>
          )}
          <span className={`ev-badge ev-status-${appointment.status}`}>
            {t(`status.${appointment.status}`)}
          </span>
          {appointment.status === 'scheduled' && (
            <span className="ev-badge ev-confirmation">
              {t(`confirmation.${appointment.confirmation}`)}
            </span>
          )}
        </span>
      </span>
    </>
  );
}

// react-big-calendar's own header is a lone role="columnheader", which has no grid around it.
function PlainHeader({ label }: HeaderProps) {
  return <span>{label}</span>;
}

function ResourceHeader({ resource }: ResourceHeaderProps<ScheduleResource>) {
  return (
    <span className="resource-header">
      {resource.colour && (
        <span className="resource-swatch" style={{ background: resource.colour }} aria-hidden />
      )}
      {resource.title}
    </span>
  );
}

const COMPONENTS = { event: EventContent, header: PlainHeader, resourceHeader: ResourceHeader };
const FORMATS = { eventTimeRangeFormat: () => '' };

export default function ScheduleScreen({
  initialDay,
}: {
  /** The day to open on (tests, deep links); the clinic's today otherwise. */
  initialDay?: string;
  /** The router's route params, unused. */
  params?: unknown;
}) {
  const { t } = useTranslation('schedule');
  const { timeZone, locale } = useClinic();
  const { settings, update } = useSettings();
  const api = useApi();
  const [view, setView] = useState<View>('day');
  const [day, setDay] = useState(() =>
    initialDay && isCalendarDate(initialDay) ? initialDay : clinicToday(timeZone),
  );
  const [providerFilter, setProviderFilter] = useState('');
  const [booking, setBooking] = useState<BookingPrefill | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState('');
  const [overrides, setOverrides] = useState<ReadonlyMap<string, Override>>(new Map());
  const [pendingMove, setPendingMove] = useState<PendingMove | null>(null);
  const [moving, setMoving] = useState(false);
  const columns: ColumnMode = settings.scheduleColumns;
  const dateLocale = LOCALES[locale];
  const weekStart = weekStartOf(day, dateLocale);

  const lists = useQuery('lists.get', {});
  const live = useSubscription('live.daySchedule', { day }, { skip: view !== 'day' });
  const week = useQuery(
    'schedule.week',
    providerFilter ? { weekStart, providerId: providerFilter } : { weekStart },
    { skip: view !== 'week' },
  );

  const liveDay = live.data?.day === day ? live.data : undefined;
  const weekData = view === 'week' && week.data?.days[0]?.day === weekStart ? week.data : undefined;
  const scheduleLists: ScheduleLists | undefined = liveDay ?? lists.data;
  const appointments: readonly ScheduledAppointment[] = useMemo(
    () =>
      view === 'day'
        ? (liveDay?.appointments ?? [])
        : weekData
          ? weekAppointments(weekData.days)
          : [],
    [view, liveDay, weekData],
  );
  const loading = view === 'day' ? !liveDay : !weekData;

  // A drag's new place is drawn at once; it is dropped when fresh data arrives (or on refusal).
  const clearTimer = useRef<number | undefined>(undefined);
  useEffect(() => {
    setOverrides((current) => (current.size === 0 ? current : new Map()));
  }, [appointments]);
  useEffect(() => () => window.clearTimeout(clearTimer.current), []);

  const events = useMemo(() => {
    if (!scheduleLists) return [];
    return toEvents(appointments, scheduleLists, view === 'day' ? columns : null, timeZone).map(
      (event) => {
        const override = overrides.get(event.id);
        return override ? { ...event, ...override } : event;
      },
    );
  }, [appointments, scheduleLists, view, columns, timeZone, overrides]);

  const resources = useMemo(
    () => (scheduleLists ? resourcesFor(columns, scheduleLists, appointments) : []),
    [columns, scheduleLists, appointments],
  );

  const weekdays = useMemo(() => {
    if (view === 'day') return [dayToWallClock(day).getDay()];
    return [0, 1, 2, 3, 4, 5, 6];
  }, [view, day]);
  const hours = hoursShown(scheduleLists?.providers ?? [], weekdays, appointments, timeZone);
  const firstDay = view === 'day' ? day : weekStart;

  const refreshAfterChange = useCallback(
    (message: string) => {
      setNotice(message);
      setProblem('');
      if (view === 'week') week.refresh();
    },
    [view, week],
  );

  const openAppointment = openId ? appointments.find((item) => item.id === openId) : undefined;

  // --- Navigation --------------------------------------------------------------------------
  const step = (direction: 1 | -1) =>
    setDay((current) => shiftDay(current, direction * (view === 'day' ? 1 : 7)));

  // --- Booking from the grid -----------------------------------------------------------------
  const onSelectSlot = (slot: SlotInfo) => {
    const start = asDate(slot.start);
    const end = asDate(slot.end);
    const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
    const resourceId = typeof slot.resourceId === 'string' ? slot.resourceId : undefined;
    setNotice('');
    setBooking({
      day: wallClockDay(start),
      time: wallClockTime(start),
      // A single click selects one 15-minute slot: the appointment type's length is used then.
      ...(slot.action === 'select' && minutes > 15 ? { duration: minutes } : {}),
      ...(resourceId && view === 'day'
        ? columns === 'operatory'
          ? { operatoryId: resourceId }
          : { providerId: resourceId }
        : {}),
    });
  };

  // --- Dragging ------------------------------------------------------------------------------
  const runMove = async (input: InputOf<'appointments.move'>, eventId: string) => {
    setMoving(true);
    try {
      const outcome = await api.call('appointments.move', input);
      if (outcome.status === 'needs_confirmation') {
        setPendingMove({ input, clashes: outcome.clashes });
        return;
      }
      setPendingMove(null);
      refreshAfterChange(t('appointment.moved'));
      window.clearTimeout(clearTimer.current);
      clearTimer.current = window.setTimeout(() => setOverrides(new Map()), 1500);
    } catch (caught) {
      setPendingMove(null);
      dropOverride(eventId);
      setNotice('');
      setProblem(t('drag.refused', { message: asApiError(caught).message }));
    } finally {
      setMoving(false);
    }
  };

  const dropOverride = (id: string) =>
    setOverrides((current) => {
      const next = new Map(current);
      next.delete(id);
      return next;
    });

  const onDrop = ({ event, start, end, resourceId }: EventInteractionArgs<ScheduleEvent>) => {
    const newStart = asDate(start);
    const newEnd = asDate(end);
    const { appointment } = event;
    let { providerId, operatoryId } = appointment;
    const column = view === 'day' && typeof resourceId === 'string' ? resourceId : undefined;
    if (column) {
      if (columns === 'operatory') operatoryId = column;
      else providerId = column;
    }
    const input = {
      appointmentId: appointment.id,
      providerId,
      operatoryId,
      start: wallClockToInstant(newStart, timeZone),
      end: wallClockToInstant(newEnd, timeZone),
    };
    if (
      input.start === appointment.start &&
      input.end === appointment.end &&
      providerId === appointment.providerId &&
      operatoryId === appointment.operatoryId
    ) {
      return;
    }
    setOverrides((current) =>
      new Map(current).set(appointment.id, {
        start: newStart,
        end: newEnd,
        ...(column ? { resourceId: column } : {}),
        appointment: {
          ...appointment,
          providerId,
          operatoryId,
          start: input.start,
          end: input.end,
        },
      }),
    );
    void runMove(input, appointment.id);
  };

  const changeColumns = async (next: ColumnMode) => {
    if (next === columns) return;
    const failed = await update({ scheduleColumns: next });
    if (failed) setProblem(t('columnsSaveFailed', { message: failed.message }));
  };

  const heading =
    view === 'day'
      ? formatCalendarDate(day, locale, 'full')
      : t('toolbar.weekOf', { day: formatCalendarDate(weekStart, locale, 'long') });

  const pressed = (on: boolean) => ({ 'aria-pressed': on, className: on ? 'toggle on' : 'toggle' });

  return (
    <section className="schedule" aria-labelledby="schedule-title">
      <div className="schedule-head">
        <h1 id="schedule-title">{t('title')}</h1>
        <p className="schedule-date" aria-live="polite">
          {heading}
        </p>
      </div>
      <div className="schedule-toolbar" role="group" aria-label={t('toolbar.label')}>
        <div className="toolbar-group">
          <button type="button" className="secondary" onClick={() => step(-1)}>
            {t('toolbar.previous')}
          </button>
          <button type="button" className="secondary" onClick={() => setDay(clinicToday(timeZone))}>
            {t('toolbar.today')}
          </button>
          <button type="button" className="secondary" onClick={() => step(1)}>
            {t('toolbar.next')}
          </button>
          <label className="inline-field">
            <span>{t('toolbar.goTo')}</span>
            <input
              type="date"
              value={day}
              onChange={(event) => {
                if (isCalendarDate(event.target.value)) setDay(event.target.value);
              }}
            />
          </label>
        </div>
        <div className="toolbar-group" role="group" aria-label={t('toolbar.view')}>
          <button type="button" {...pressed(view === 'day')} onClick={() => setView('day')}>
            {t('toolbar.day')}
          </button>
          <button type="button" {...pressed(view === 'week')} onClick={() => setView('week')}>
            {t('toolbar.week')}
          </button>
        </div>
        {view === 'day' ? (
          <div className="toolbar-group" role="group" aria-label={t('toolbar.columns')}>
            <button
              type="button"
              {...pressed(columns === 'operatory')}
              onClick={() => void changeColumns('operatory')}
            >
              {t('toolbar.byOperatory')}
            </button>
            <button
              type="button"
              {...pressed(columns === 'provider')}
              onClick={() => void changeColumns('provider')}
            >
              {t('toolbar.byProvider')}
            </button>
          </div>
        ) : (
          <label className="inline-field">
            <span>{t('toolbar.provider')}</span>
            <select
              value={providerFilter}
              onChange={(event) => setProviderFilter(event.target.value)}
            >
              <option value="">{t('toolbar.allProviders')}</option>
              {(lists.data?.providers ?? []).map((provider) => (
                <option key={provider.id} value={provider.id}>
                  {provider.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          className="new-appointment"
          onClick={() => {
            setNotice('');
            setBooking({ day, time: hours.min === '00:00' ? '08:00' : hours.min });
          }}
        >
          {t('toolbar.newAppointment')}
        </button>
      </div>

      <p className="schedule-hint">{t('hint')}</p>
      <p role="status" className="schedule-notice">
        {notice}
      </p>
      {problem && (
        <p role="alert" className="error-message">
          {problem}
        </p>
      )}
      <ErrorMessage error={view === 'day' ? live.error : week.error} />
      {loading && !(view === 'day' ? live.error : week.error) && (
        <p aria-busy="true" className="empty">
          {t('loading')}
        </p>
      )}
      {!loading && appointments.length === 0 && (
        <p className="empty">{view === 'day' ? t('empty') : t('emptyWeek')}</p>
      )}

      <div className={`schedule-calendar schedule-${view}`} aria-busy={loading || moving}>
        <DnDCalendar
          localizer={localizer}
          culture={locale}
          date={dayToWallClock(firstDay)}
          onNavigate={(date) => setDay(wallClockDay(date))}
          view={view}
          onView={(next) => setView(next === 'week' ? 'week' : 'day')}
          views={['day', 'week']}
          toolbar={false}
          events={events}
          {...(view === 'day'
            ? { resources, resourceIdAccessor: 'id', resourceTitleAccessor: 'title' }
            : {})}
          step={15}
          timeslots={4}
          min={dayToWallClock(firstDay, hours.min)}
          max={dayToWallClock(firstDay, hours.max)}
          scrollToTime={dayToWallClock(firstDay, hours.min)}
          getNow={() => instantToWallClock(new Date().toISOString(), timeZone)}
          selectable
          onSelectSlot={onSelectSlot}
          onSelectEvent={(event) => setOpenId(event.id)}
          onKeyPressEvent={(event, keyEvent) => {
            const key = (keyEvent as unknown as KeyboardEvent).key;
            if (key === 'Enter' || key === ' ') {
              keyEvent.preventDefault();
              setOpenId(event.id);
            }
          }}
          onEventDrop={onDrop}
          onEventResize={onDrop}
          draggableAccessor={(event) => !event.locked}
          resizableAccessor={(event) => !event.locked}
          eventPropGetter={(event) => {
            const colours = eventColours(event.provider?.colour);
            return {
              className: [
                'ev',
                event.released ? 'ev-released' : '',
                event.doubleBooked ? 'ev-clash' : '',
              ].join(' '),
              style: {
                background: event.released ? '#eef1f4' : colours.background,
                color: colours.text,
                borderLeft: `6px solid ${colours.accent}`,
              },
            };
          }}
          tooltipAccessor={() => ''}
          components={COMPONENTS}
          formats={FORMATS}
          dayLayoutAlgorithm="no-overlap"
          drilldownView="day"
          onDrillDown={(date) => {
            setDay(wallClockDay(date));
            setView('day');
          }}
        />
      </div>

      {booking && scheduleLists && (
        <BookingDialog
          prefill={booking}
          lists={lists.data ?? scheduleLists}
          onClose={() => setBooking(null)}
          onBooked={(message) => {
            setBooking(null);
            refreshAfterChange(message);
          }}
        />
      )}
      {openAppointment && scheduleLists && (
        <AppointmentDialog
          key={openAppointment.id}
          appointment={openAppointment}
          lists={lists.data ?? scheduleLists}
          onClose={() => setOpenId(null)}
          onChanged={refreshAfterChange}
        />
      )}
      {pendingMove && (
        <Dialog
          open
          title={t('drag.title')}
          onClose={() => {
            dropOverride(pendingMove.input.appointmentId);
            setPendingMove(null);
          }}
        >
          <MoveConfirmation
            pending={pendingMove}
            busy={moving}
            onConfirm={() =>
              void runMove(
                { ...pendingMove.input, allowDoubleBooking: true },
                pendingMove.input.appointmentId,
              )
            }
            onKeep={() => {
              dropOverride(pendingMove.input.appointmentId);
              setPendingMove(null);
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

function MoveConfirmation({
  pending,
  busy,
  onConfirm,
  onKeep,
}: {
  pending: PendingMove;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}): ReactNode {
  const { t } = useTranslation('schedule');
  const { timeZone } = useClinic();
  return (
    <div>
      <div className="warning">
        <p>{t('clash.intro')}</p>
        <ClashList day={clinicDayOf(pending.input.start, timeZone)} clashes={pending.clashes} />
        <p>{t('clash.moveQuestion')}</p>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={onKeep}>
          {t('appointment.keepWhereItWas')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {t('appointment.moveAnyway')}
        </button>
      </div>
    </div>
  );
}
