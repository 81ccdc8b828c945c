import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES } from '../enums';
import type { ClashPair, SchedulableAppointment, TimeInterval } from './overlap';
import {
  CLASH_RESOURCES,
  findAllClashes,
  findClashes,
  holdsTimeSlot,
  intervalsOverlap,
} from './overlap';

const DAY_START = Date.parse('2025-03-14T08:00:00.000Z');
const SLOT_MS = 15 * 60_000;

/** An instant on a coarse 15-minute grid, so random intervals often touch or coincide. */
function slot(index: number): string {
  return new Date(DAY_START + index * SLOT_MS).toISOString();
}

const intervalArb: fc.Arbitrary<TimeInterval> = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 8 }))
  .map(([from, length]) => ({ start: slot(from), end: slot(from + length) }));

const nonEmptyIntervalArb = intervalArb.filter((interval) => interval.start < interval.end);

function appointment(
  id: string,
  start: number,
  end: number,
  extra: Partial<SchedulableAppointment> = {},
): SchedulableAppointment {
  return {
    id,
    start: slot(start),
    end: slot(end),
    status: 'scheduled',
    providerId: 'dr-a',
    operatoryId: 'op-1',
    ...extra,
  };
}

const appointmentsArb: fc.Arbitrary<SchedulableAppointment[]> = fc
  .array(
    fc.record({
      interval: intervalArb,
      status: fc.constantFrom(...APPOINTMENT_STATUSES),
      providerId: fc.constantFrom('dr-a', 'dr-b', 'hyg-c', null, undefined),
      operatoryId: fc.constantFrom('op-1', 'op-2', null, undefined),
    }),
    { maxLength: 40 },
  )
  .map((rows) =>
    rows.map((row, index) => ({
      id: `appt-${String(index).padStart(3, '0')}`,
      ...row.interval,
      status: row.status,
      providerId: row.providerId,
      operatoryId: row.operatoryId,
    })),
  );

function bruteForceClashes(appointments: readonly SchedulableAppointment[]): ClashPair[] {
  const pairs: ClashPair[] = [];
  for (const resource of CLASH_RESOURCES) {
    const key = resource === 'provider' ? 'providerId' : 'operatoryId';
    for (let i = 0; i < appointments.length; i++) {
      for (let j = i + 1; j < appointments.length; j++) {
        const a = appointments[i]!;
        const b = appointments[j]!;
        if (!holdsTimeSlot(a.status) || !holdsTimeSlot(b.status)) continue;
        if (a[key] == null || a[key] !== b[key]) continue;
        if (!intervalsOverlap(a, b)) continue;
        const [firstId, secondId] = a.id < b.id ? [a.id, b.id] : [b.id, a.id];
        pairs.push({ firstId, secondId, resource });
      }
    }
  }
  return pairs;
}

function asKeys(pairs: readonly ClashPair[]): string[] {
  return pairs.map((pair) => `${pair.resource}:${pair.firstId}:${pair.secondId}`).sort();
}

describe('intervalsOverlap', () => {
  it.each([
    ['09:00-10:00 vs 09:30-10:30', [4, 8], [6, 10], true],
    ['touching end to start', [4, 8], [8, 12], false],
    ['touching start to end', [8, 12], [4, 8], false],
    ['one inside the other', [4, 12], [6, 8], true],
    ['identical', [4, 8], [4, 8], true],
    ['disjoint', [0, 2], [5, 6], false],
    ['empty inside a long one', [6, 6], [4, 8], false],
    ['empty with itself', [6, 6], [6, 6], false],
  ] as const)('%s', (_label, [aFrom, aTo], [bFrom, bTo], expected) => {
    const a = { start: slot(aFrom), end: slot(aTo) };
    const b = { start: slot(bFrom), end: slot(bTo) };
    expect(intervalsOverlap(a, b)).toBe(expected);
  });

  it('compares instants to the millisecond', () => {
    const a = { start: '2025-03-14T09:00:00.000Z', end: '2025-03-14T10:00:00.001Z' };
    const b = { start: '2025-03-14T10:00:00.000Z', end: '2025-03-14T11:00:00.000Z' };
    expect(intervalsOverlap(a, b)).toBe(true);
    expect(intervalsOverlap({ ...a, end: '2025-03-14T10:00:00.000Z' }, b)).toBe(false);
  });

  it('rejects times that string comparison would misorder', () => {
    const good = { start: '2025-03-14T09:00:00.000Z', end: '2025-03-14T10:00:00.000Z' };
    for (const bad of [
      '2025-03-14T09:00:00Z',
      '2025-03-14T09:00:00.000+02:00',
      '2025-02-30T09:00:00.000Z',
      '14/03/2025 09:00',
      '',
    ]) {
      expect(() => intervalsOverlap({ ...good, start: bad }, good)).toThrow(
        /Appointment start must be a UTC time written as YYYY-MM-DDTHH:mm:ss\.sssZ/,
      );
    }
    expect(() => intervalsOverlap(good, { ...good, end: 'soon' })).toThrow(/Appointment end/);
  });

  it('rejects an interval that ends before it starts', () => {
    expect(() =>
      intervalsOverlap({ start: slot(5), end: slot(4) }, { start: slot(0), end: slot(9) }),
    ).toThrow('An appointment cannot end before it starts.');
  });

  it('is symmetric', () => {
    fc.assert(
      fc.property(intervalArb, intervalArb, (a, b) => {
        expect(intervalsOverlap(a, b)).toBe(intervalsOverlap(b, a));
      }),
    );
  });

  it('never reports touching intervals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (boundary, before, after) => {
          const earlier = { start: slot(boundary - before), end: slot(boundary) };
          const later = { start: slot(boundary), end: slot(boundary + after) };
          expect(intervalsOverlap(earlier, later)).toBe(false);
        },
      ),
    );
  });

  it('makes a non-empty interval overlap itself', () => {
    fc.assert(
      fc.property(nonEmptyIntervalArb, (interval) => {
        expect(intervalsOverlap(interval, { ...interval })).toBe(true);
      }),
    );
  });

  it('agrees with overlap measured in milliseconds', () => {
    fc.assert(
      fc.property(intervalArb, intervalArb, (a, b) => {
        const shared =
          Math.min(Date.parse(a.end), Date.parse(b.end)) -
          Math.max(Date.parse(a.start), Date.parse(b.start));
        expect(intervalsOverlap(a, b)).toBe(shared > 0);
      }),
    );
  });
});

describe('holdsTimeSlot', () => {
  it('releases the slot only for cancelled and no-show visits', () => {
    const releasing = APPOINTMENT_STATUSES.filter((status) => !holdsTimeSlot(status));
    expect(releasing).toEqual(['cancelled', 'no_show']);
  });
});

describe('findClashes', () => {
  const existing = [
    appointment('a1', 4, 8), // same provider and chair, overlapping
    appointment('a2', 8, 12), // touching: no clash
    appointment('a3', 5, 7, { providerId: 'dr-b' }), // chair only
    appointment('a4', 5, 7, { operatoryId: 'op-2' }), // provider only
    appointment('a5', 5, 7, { providerId: 'dr-b', operatoryId: 'op-2' }), // other everything
    appointment('a6', 5, 7, { status: 'cancelled' }),
    appointment('a7', 5, 7, { status: 'no_show' }),
    appointment('a8', 5, 7, { status: 'completed' }), // past visits still occupied the chair
  ];

  it('names each clashing appointment and resource', () => {
    expect(findClashes(appointment('new', 6, 8), existing)).toEqual([
      { appointmentId: 'a1', resource: 'provider' },
      { appointmentId: 'a1', resource: 'operatory' },
      { appointmentId: 'a3', resource: 'operatory' },
      { appointmentId: 'a4', resource: 'provider' },
      { appointmentId: 'a8', resource: 'provider' },
      { appointmentId: 'a8', resource: 'operatory' },
    ]);
  });

  it('finds nothing for a cancelled or no-show candidate', () => {
    expect(findClashes(appointment('new', 6, 8, { status: 'cancelled' }), existing)).toEqual([]);
    expect(findClashes(appointment('new', 6, 8, { status: 'no_show' }), existing)).toEqual([]);
  });

  it('ignores the previous version of the candidate itself when rescheduling', () => {
    expect(findClashes(appointment('a1', 5, 6), [appointment('a1', 4, 8)])).toEqual([]);
  });

  it('does not clash on a resource neither side has', () => {
    const noChair = { operatoryId: null, providerId: null };
    expect(
      findClashes(appointment('new', 4, 8, noChair), [appointment('x', 4, 8, noChair)]),
    ).toEqual([]);
  });

  it('agrees with findAllClashes on the pairs involving the candidate', () => {
    fc.assert(
      fc.property(appointmentsArb, (appointments) => {
        const [candidate, ...others] = appointments;
        fc.pre(candidate !== undefined);
        const expected = findAllClashes(appointments)
          .filter((pair) => pair.firstId === candidate!.id || pair.secondId === candidate!.id)
          .map((pair) => ({
            appointmentId: pair.firstId === candidate!.id ? pair.secondId : pair.firstId,
            resource: pair.resource,
          }));
        const key = (clash: { appointmentId: string; resource: string }) =>
          `${clash.resource}:${clash.appointmentId}`;
        expect(findClashes(candidate!, others).map(key).sort()).toEqual(expected.map(key).sort());
      }),
    );
  });
});

describe('findAllClashes', () => {
  it('lists each clashing pair once per resource, provider pairs first', () => {
    const day = [
      appointment('b', 4, 8),
      appointment('a', 6, 10),
      appointment('c', 10, 12), // touches a
      appointment('d', 7, 9, { providerId: 'dr-b' }), // same chair as a and b
      appointment('e', 4, 12, { status: 'cancelled' }),
    ];
    expect(findAllClashes(day)).toEqual([
      { firstId: 'a', secondId: 'b', resource: 'provider' },
      { firstId: 'a', secondId: 'b', resource: 'operatory' },
      { firstId: 'a', secondId: 'd', resource: 'operatory' },
      { firstId: 'b', secondId: 'd', resource: 'operatory' },
    ]);
  });

  it('finds nothing in an empty or clash-free day', () => {
    expect(findAllClashes([])).toEqual([]);
    expect(findAllClashes([appointment('a', 0, 4), appointment('b', 4, 8)])).toEqual([]);
  });

  it('agrees with the brute-force pairwise check on random days', () => {
    fc.assert(
      fc.property(appointmentsArb, (appointments) => {
        const pairs = findAllClashes(appointments);
        expect(asKeys(pairs)).toEqual(asKeys(bruteForceClashes(appointments)));
        expect(new Set(asKeys(pairs)).size).toBe(pairs.length);
        for (const pair of pairs) expect(pair.firstId < pair.secondId).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the input order', () => {
    fc.assert(
      fc.property(
        appointmentsArb.chain((appointments) =>
          fc.tuple(
            fc.constant(appointments),
            fc.shuffledSubarray(appointments, {
              minLength: appointments.length,
              maxLength: appointments.length,
            }),
          ),
        ),
        ([appointments, shuffled]) => {
          expect(findAllClashes(shuffled)).toEqual(findAllClashes(appointments));
        },
      ),
    );
  });

  it('finds the one double booking in a busy multi-chair day', () => {
    // 20 providers x 30 back-to-back visits, all touching and none clashing: a pairwise check
    // would compare 180,000 pairs; the sweep only sorts.
    const day: SchedulableAppointment[] = [];
    for (let provider = 0; provider < 20; provider++) {
      for (let visit = 0; visit < 30; visit++) {
        day.push(
          appointment(`p${provider}-v${visit}`, visit, visit + 1, {
            providerId: `dr-${provider}`,
            operatoryId: `op-${provider}`,
          }),
        );
      }
    }
    day.push(appointment('double', 3, 5, { providerId: 'dr-7', operatoryId: 'op-99' }));
    expect(findAllClashes(day)).toEqual([
      { firstId: 'double', secondId: 'p7-v3', resource: 'provider' },
      { firstId: 'double', secondId: 'p7-v4', resource: 'provider' },
    ]);
  });
});
