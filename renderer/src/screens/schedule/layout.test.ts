import { describe, expect, it } from 'vitest';
import type { ScheduledAppointment } from '../../../../shared/api/views';
import { smallDemoClinic } from '../../../../main/core/services/test-support';
import { wallClockTime } from './clinic-time';
import {
  contrastRatio,
  eventColours,
  EVENT_TEXT,
  hoursShown,
  isDoubleBooked,
  resourcesFor,
  showsClash,
  toEvents,
  transitionKey,
  type ScheduleLists,
} from './layout';

const demo = smallDemoClinic();
const lists: ScheduleLists = {
  providers: demo.documents.providers,
  operatories: demo.documents.operatories,
  appointmentTypes: demo.documents.appointment_types,
};
const timeZone = demo.options.timeZone;
const base = demo.documents.appointments[0]!;
const scheduled = (changes: Partial<ScheduledAppointment> = {}): ScheduledAppointment => ({
  ...base,
  patientName: 'Ana Lima',
  patientHasAlerts: false,
  clashesWith: [],
  start: '2025-06-02T13:30:00.000Z',
  end: '2025-06-02T14:15:00.000Z',
  status: 'scheduled',
  flags: [],
  ...changes,
});

describe('columns', () => {
  it('one per active chair in sort order, or one per active provider', () => {
    const chairs = resourcesFor('operatory', lists, []);
    expect(chairs.map((chair) => chair.title)).toEqual(
      [...lists.operatories].sort((a, b) => a.sortOrder - b.sortOrder).map((chair) => chair.name),
    );
    const providers = resourcesFor('provider', lists, []);
    expect(providers.map((provider) => provider.id)).toEqual(lists.providers.map((p) => p.id));
    expect(providers[0]!.colour).toBe(lists.providers[0]!.colour);
  });

  it('keeps an inactive chair while it still has appointments', () => {
    const retired = { ...lists.operatories[0]!, active: false };
    const withRetired = { ...lists, operatories: [retired, ...lists.operatories.slice(1)] };
    expect(resourcesFor('operatory', withRetired, []).map((c) => c.id)).not.toContain(retired.id);
    const booked = scheduled({ operatoryId: retired.id });
    expect(resourcesFor('operatory', withRetired, [booked]).map((c) => c.id)).toContain(retired.id);
  });
});

describe('events', () => {
  it('sit in the column of the chosen mode, at the clinic clock time', () => {
    const appointment = scheduled();
    const [byChair] = toEvents([appointment], lists, 'operatory', timeZone);
    const [byProvider] = toEvents([appointment], lists, 'provider', timeZone);
    const [inWeek] = toEvents([appointment], lists, null, timeZone);
    expect(byChair!.resourceId).toBe(appointment.operatoryId);
    expect(byProvider!.resourceId).toBe(appointment.providerId);
    expect(inWeek!.resourceId).toBeUndefined();
    expect(wallClockTime(byChair!.start)).toBe('10:30');
    expect(wallClockTime(byChair!.end)).toBe('11:15');
    expect(byChair!.provider?.id).toBe(appointment.providerId);
    expect(byChair!.type?.id).toBe(appointment.typeId);
  });

  it('flag clashes found now and double bookings found after an offline sync', () => {
    expect(isDoubleBooked(scheduled())).toBe(false);
    expect(isDoubleBooked(scheduled({ clashesWith: ['x'] }))).toBe(true);
    expect(isDoubleBooked(scheduled({ flags: ['double_booked'] }))).toBe(true);
    const [flagged] = toEvents([scheduled({ flags: ['double_booked'] })], lists, null, timeZone);
    expect(flagged!.doubleBooked).toBe(true);
    // A cancelled visit releases its slot: no clash is shown on it any more.
    expect(showsClash(scheduled({ flags: ['double_booked'], status: 'cancelled' }))).toBe(false);
  });

  it('fade cancelled and no-show visits and lock finished ones against dragging', () => {
    const events = toEvents(
      [
        scheduled({ id: 'a', status: 'cancelled' }),
        scheduled({ id: 'b', status: 'no_show' }),
        scheduled({ id: 'c', status: 'completed' }),
        scheduled({ id: 'd', status: 'checked_in' }),
      ],
      lists,
      'operatory',
      timeZone,
    );
    expect(events.map((event) => [event.released, event.locked])).toEqual([
      [true, true],
      [true, true],
      [false, true],
      [false, false],
    ]);
  });
});

describe('colours', () => {
  it('keep dark text readable (AA) on every provider tint', () => {
    for (const provider of lists.providers) {
      const colours = eventColours(provider.colour);
      expect(colours.accent).toBe(provider.colour);
      expect(contrastRatio(colours.background, EVENT_TEXT)).toBeGreaterThanOrEqual(4.5);
    }
    for (const hex of ['#000000', '#ff0000', '#0000ff', '#ffff00', '#6b21a8']) {
      expect(contrastRatio(eventColours(hex).background, EVENT_TEXT)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('computes WCAG contrast', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 1);
  });
});

describe('hours shown', () => {
  it('spans the working hours of the weekday, widened to every appointment', () => {
    // Monday: the demo's earliest provider starts 07:30, the latest ends 19:00.
    expect(hoursShown(lists.providers, [1], [], timeZone)).toEqual({ min: '07:00', max: '19:00' });
    const late = scheduled({ start: '2025-06-02T22:30:00.000Z', end: '2025-06-02T23:15:00.000Z' });
    expect(hoursShown(lists.providers, [1], [late], timeZone).max).toBe('21:00');
  });

  it('falls back to 07:00–19:00 on a day nobody works', () => {
    expect(hoursShown([], [0], [], timeZone)).toEqual({ min: '07:00', max: '19:00' });
  });
});

describe('status buttons', () => {
  it('name a step forward by where the visit goes, and an undo as an undo', () => {
    expect(transitionKey('scheduled', 'checked_in')).toBe('action.checked_in');
    expect(transitionKey('checked_in', 'scheduled')).toBe('action.undoArrival');
    expect(transitionKey('in_progress', 'checked_in')).toBe('action.backToWaiting');
    expect(transitionKey('scheduled', 'cancelled')).toBe('action.cancelled');
  });
});
