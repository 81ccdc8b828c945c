// The demo clinic's days: each room's day is filled visit by visit inside the working hours of
// a free provider, then each visit is told relative to "now": finished visits have their
// procedures, notes, charges and payments; today's are under way; later ones are booked and
// waiting for confirmation.
import type { AppointmentStatus, ConfirmationStatus, PaymentMethod } from '../domain/enums';
import { toUniversal } from '../domain/rules/teeth';
import type { Appointment, ClinicalNote, LedgerEntry, Procedure } from '../domain/schemas/index';
import { clinicLocalToInstant, minutesOfDay } from '../domain/time';
import {
  ageInYears,
  calendarDateOfDayNumber,
  calendarDayNumber,
  ClinicDayClock,
  instantOf,
  weekdayOfDayNumber,
} from './calendar';
import type { DemoCurrency, ResolvedDemoClinicOptions } from './options';
import { PAYER_PROFILES, type PatientRoster } from './patients';
import type { DemoIdFactory, DemoRandom } from './random';
import type { DemoRecord } from './records';
import type { DemoProviderInfo, DemoSetup } from './setup';
import {
  existingWork,
  feeCents,
  procedureDescription,
  treatmentPlan,
  visitWork,
  type PlannedWork,
} from './treatment';
import {
  APPOINTMENT_REMARKS,
  CANCEL_REASONS,
  LEDGER_TEXTS,
  NOTE_PHRASES,
  PAYMENT_DESCRIPTIONS,
  type AppointmentTypeSpec,
} from './vocabulary';

/** The schedule grid: visits start and end on quarter hours. */
const SLOT_MINUTES = 15;
const SLOTS_PER_DAY = (24 * 60) / SLOT_MINUTES;
/** About the average visit length in slots, to spread free time over the day. */
const MEAN_VISIT_SLOTS = 3.5;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type DayRelation = 'past' | 'today' | 'future';

interface ProviderDay {
  info: DemoProviderInfo;
  /** Working spans of the day as [startSlot, endSlot). */
  spans: readonly (readonly [number, number])[];
  busy: Uint8Array;
}

interface VisitPlan {
  chair: number;
  provider: DemoProviderInfo;
  patient: number;
  type: { spec: AppointmentTypeSpec; id: string };
  startSlot: number;
  endSlot: number;
  startMs: number;
  endMs: number;
  status: AppointmentStatus;
}

export interface ScheduleContext {
  options: ResolvedDemoClinicOptions;
  setup: DemoSetup;
  roster: PatientRoster;
  ids: DemoIdFactory;
  random: DemoRandom;
}

const PAYMENT_METHOD_MIX: Readonly<
  Record<DemoCurrency, readonly (readonly [PaymentMethod, number])[]>
> = {
  BRL: [
    ['pix', 40],
    ['card', 35],
    ['cash', 15],
    ['bank_transfer', 5],
    ['check', 2],
    ['other', 3],
  ],
  USD: [
    ['card', 65],
    ['check', 15],
    ['cash', 12],
    ['bank_transfer', 3],
    ['other', 5],
  ],
};

/** A missed-appointment fee, in cents of the clinic's currency. */
const NO_SHOW_FEE_CENTS: Readonly<Record<DemoCurrency, number>> = { BRL: 5_000, USD: 3_500 };

/** Procedures that numb the patient first, for the note. */
const NEEDS_ANESTHESIA = /^D(?:2[0-9]|3|4341|6|7)/;

/**
 * Every visit of the schedule with what hangs off it, day by day from `startDay`; within a day
 * in order of start time, each appointment followed by its procedures, notes and ledger entries.
 */
export function* generateSchedule(context: ScheduleContext): Generator<DemoRecord> {
  const { options, setup, roster, random } = context;
  const todayNumber = calendarDayNumber(options.today);
  const nowMs = Date.parse(
    clinicLocalToInstant(options.today, options.nowTimeOfDay, options.timeZone),
  );
  const startNumber = calendarDayNumber(options.startDay);
  const balances = new Float64Array(options.patients);
  const providers = setup.providers.map((info) => ({
    info,
    spansByWeekday: Array.from({ length: 7 }, (_, weekday) =>
      info.document.workingHours
        .filter((span) => span.day === weekday)
        .map(
          (span) =>
            [
              Math.ceil(minutesOfDay(span.start) / SLOT_MINUTES),
              Math.floor(minutesOfDay(span.end) / SLOT_MINUTES),
            ] as const,
        )
        .filter(([start, end]) => end > start),
    ),
    busy: new Uint8Array(SLOTS_PER_DAY),
  }));
  const typesByKind = {
    dentist: setup.appointmentTypes.filter((type) => type.spec.providerKind === 'dentist'),
    hygienist: setup.appointmentTypes.filter((type) => type.spec.providerKind === 'hygienist'),
  };

  for (let offset = 0; offset < options.days; offset++) {
    const dayNumber = startNumber + offset;
    const day = calendarDateOfDayNumber(dayNumber);
    const weekday = weekdayOfDayNumber(dayNumber);
    const working: ProviderDay[] = [];
    for (const provider of providers) {
      const spans = provider.spansByWeekday[weekday]!;
      if (spans.length === 0) continue;
      provider.busy.fill(0);
      working.push({ info: provider.info, spans, busy: provider.busy });
    }
    if (working.length === 0) continue;

    const relation: DayRelation =
      dayNumber < todayNumber ? 'past' : dayNumber === todayNumber ? 'today' : 'future';

    // The further ahead, the fewer visits are booked yet.
    const fill =
      relation === 'future' ? Math.max(0.12, 0.92 - 0.02 * (dayNumber - todayNumber)) : 1;
    const bookedToday = new Set<number>();
    const plans: VisitPlan[] = [];
    const open = Math.min(...working.flatMap((provider) => provider.spans.map(([start]) => start)));
    const close = Math.max(...working.flatMap((provider) => provider.spans.map(([, end]) => end)));
    const clock = new ClinicDayClock(
      day,
      options.timeZone,
      open * SLOT_MINUTES,
      close * SLOT_MINUTES,
    );

    for (let chair = 0; chair < options.operatories; chair++) {
      const target = Math.round(
        options.appointmentsPerChairPerDay * fill * (0.85 + random.float() * 0.25),
      );
      let cursor = open;
      let count = 0;
      while (cursor < close && count < target) {
        const remaining = target - count;
        const slack = close - cursor - remaining * MEAN_VISIT_SLOTS;
        if (slack > 0) cursor += Math.floor(random.float() * ((2 * slack) / (remaining + 1)));
        if (cursor >= close) break;
        const plan = planVisit(chair, cursor);
        if (!plan) {
          cursor++;
          continue;
        }
        plans.push(plan);
        count++;
        bookedToday.add(plan.patient);
        if (plan.status === 'cancelled' && random.chance(0.5)) continue; // the slot was rebooked
        if (plan.status !== 'cancelled') {
          const busy = working.find((provider) => provider.info === plan.provider)!.busy;
          busy.fill(1, plan.startSlot, plan.endSlot);
        }
        cursor = plan.endSlot;
      }
    }

    plans.sort((a, b) => a.startSlot - b.startSlot || a.chair - b.chair);
    for (const plan of plans) yield* visitRecords(plan);

    function planVisit(chair: number, slot: number): VisitPlan | null {
      const free = working.filter(
        (provider) => provider.busy[slot] === 0 && spanAt(provider, slot) !== undefined,
      );
      if (free.length === 0) return null;
      const home = free.filter((provider) => provider.info.index % options.operatories === chair);
      const provider =
        home.length > 0 && random.chance(0.85) ? random.pick(home) : random.pick(free);
      const spanEnd = spanAt(provider, slot)!;
      let freeSlots = 0;
      while (slot + freeSlots < spanEnd && provider.busy[slot + freeSlots] === 0) freeSlots++;

      for (let attempt = 0; attempt < 4; attempt++) {
        const patient = random.pick(roster.bookable);
        if (bookedToday.has(patient)) continue;
        const age = ageInYears(roster.birthDates[patient]!, day);
        const choices = typesByKind[provider.info.document.kind]
          .filter(
            ({ spec }) =>
              age >= spec.minAge &&
              age <= spec.maxAge &&
              spec.durationMinutes / SLOT_MINUTES <= freeSlots,
          )
          .map((type) => [type, type.spec.weight] as const);
        if (choices.length === 0) continue;
        const type = random.weighted(choices);
        const endSlot = slot + type.spec.durationMinutes / SLOT_MINUTES;
        const startMs = clock.msAt(slot * SLOT_MINUTES);
        const endMs = clock.msAt(endSlot * SLOT_MINUTES);
        return {
          chair,
          provider: provider.info,
          patient,
          type: { spec: type.spec, id: type.document.id },
          startSlot: slot,
          endSlot,
          startMs,
          endMs,
          status: decideStatus(relation, startMs, endMs),
        };
      }
      return null;
    }

    function* visitRecords(plan: VisitPlan): Generator<DemoRecord> {
      const visit = new VisitStory(context, plan, day, dayNumber, todayNumber, nowMs, balances);
      yield* visit.records();
    }
  }

  function decideStatus(relation: DayRelation, startMs: number, endMs: number): AppointmentStatus {
    if (relation === 'past' || (relation === 'today' && endMs <= nowMs)) {
      return random.weighted<AppointmentStatus>([
        ['completed', 86],
        ['cancelled', 9],
        ['no_show', 5],
      ]);
    }
    if (relation === 'today' && startMs <= nowMs) {
      return random.weighted<AppointmentStatus>([
        ['in_progress', 60],
        ['checked_in', 20],
        ['completed', nowMs - startMs >= 20 * MINUTE ? 12 : 0],
        ['cancelled', 5],
      ]);
    }
    if (relation === 'today' && startMs - nowMs <= 30 * MINUTE) {
      return random.weighted<AppointmentStatus>([
        ['checked_in', 45],
        ['scheduled', 50],
        ['cancelled', 5],
      ]);
    }
    return random.chance(relation === 'today' ? 0.05 : 0.04) ? 'cancelled' : 'scheduled';
  }
}

/** The end slot of the provider's working span that contains `slot`, if any. */
function spanAt(provider: ProviderDay, slot: number): number | undefined {
  for (const [start, end] of provider.spans) if (slot >= start && slot < end) return end;
  return undefined;
}

/** One visit told in full: the booking, what happened on the day, and what it cost. */
class VisitStory {
  private readonly random: DemoRandom;
  private readonly ids: DemoIdFactory;
  private readonly options: ResolvedDemoClinicOptions;
  private readonly patientId: string;
  private readonly guarantor: number;
  private readonly age: number;
  private readonly staffId: string;

  constructor(
    private readonly context: ScheduleContext,
    private readonly plan: VisitPlan,
    private readonly day: string,
    private readonly dayNumber: number,
    private readonly todayNumber: number,
    private readonly nowMs: number,
    private readonly balances: Float64Array,
  ) {
    this.random = context.random;
    this.ids = context.ids;
    this.options = context.options;
    this.patientId = context.roster.ids[plan.patient]!;
    this.guarantor = context.roster.guarantorOf[plan.patient]!;
    this.age = ageInYears(context.roster.birthDates[plan.patient]!, day);
    this.staffId = plan.provider.staffId;
  }

  /** A time no later than now, in whole seconds. */
  private notAfterNow(ms: number): number {
    return Math.min(Math.floor(ms / SECOND) * SECOND, this.nowMs);
  }

  private seconds(): number {
    return this.random.int(0, 59) * SECOND;
  }

  private frontDesk(): string {
    return this.random.pick(this.context.setup.frontDeskIds);
  }

  *records(): Generator<DemoRecord> {
    const { plan, random, nowMs } = this;
    const { spec } = plan.type;

    // When it was booked: recalls months ahead, repairs weeks, emergencies the same day.
    const [minLead, maxLead] = spec.leadDays;
    let bookedMs =
      maxLead <= 1
        ? plan.startMs - random.int(30, 20 * 60) * MINUTE
        : plan.startMs - random.int(minLead, maxLead) * DAY - random.int(0, 8 * 60) * MINUTE;
    if (bookedMs > nowMs - MINUTE) bookedMs = nowMs - MINUTE - random.int(0, 180) * MINUTE;
    bookedMs = Math.floor(bookedMs / SECOND) * SECOND;
    const after = (floorMs: number, ms: number) => Math.max(floorMs + MINUTE, this.notAfterNow(ms));

    let arrivedMs: number | null = null;
    let seatedMs: number | null = null;
    let dismissedMs: number | null = null;
    let updatedMs = bookedMs;
    let cancelledReason: string | undefined;
    let noShowMs: number | null = null;
    const status = plan.status;

    if (status === 'completed' || status === 'in_progress' || status === 'checked_in') {
      const late = random.chance(0.12);
      arrivedMs = late
        ? plan.startMs + random.int(1, 15) * MINUTE + this.seconds()
        : plan.startMs - random.int(0, 20) * MINUTE - this.seconds();
      if (status === 'checked_in' && plan.startMs > nowMs) {
        // Arrived early for a visit about to start.
        arrivedMs = Math.max(plan.startMs - 45 * MINUTE, nowMs - random.int(0, 15) * MINUTE);
      }
      arrivedMs = this.notAfterNow(Math.max(arrivedMs, bookedMs + MINUTE));
      if (status !== 'checked_in') {
        seatedMs = this.notAfterNow(
          Math.max(arrivedMs, plan.startMs) + random.int(0, 10) * MINUTE + this.seconds(),
        );
      }
      if (status === 'completed') {
        const length = (plan.endMs - plan.startMs) * (0.75 + random.float() * 0.3);
        dismissedMs = this.notAfterNow(Math.max(seatedMs! + 2 * MINUTE, seatedMs! + length));
        seatedMs = Math.min(seatedMs!, dismissedMs - MINUTE);
        arrivedMs = Math.min(arrivedMs, seatedMs);
      }
      updatedMs = dismissedMs ?? seatedMs ?? arrivedMs;
    } else if (status === 'cancelled') {
      cancelledReason = random.pick(CANCEL_REASONS[this.options.locale]);
      updatedMs = after(bookedMs, plan.startMs - random.int(60, 72 * 60) * MINUTE);
    } else if (status === 'no_show') {
      noShowMs = after(bookedMs, plan.startMs + random.int(15, 40) * MINUTE + this.seconds());
      updatedMs = noShowMs;
    }

    const confirmation = this.confirmation(status);
    if (status === 'scheduled' && confirmation !== 'unconfirmed') {
      updatedMs = after(bookedMs, plan.startMs - random.int(20 * 60, 52 * 60) * MINUTE);
    }

    const appointmentId = this.ids.next(bookedMs);
    const remark = random.chance(0.05)
      ? random.pick(APPOINTMENT_REMARKS[this.options.locale])
      : undefined;
    // Documents are built as plain literals with optional fields added after: object spreads of
    // varying shapes cost several microseconds each, which adds up over millions of documents.
    const appointment: Appointment = {
      id: appointmentId,
      clinicId: this.options.clinicId,
      updatedAt: instantOf(updatedMs),
      updatedBy: this.frontDesk(),
      patientId: this.patientId,
      providerId: plan.provider.document.id,
      operatoryId: this.context.setup.operatories[plan.chair]!.id,
      typeId: plan.type.id,
      start: instantOf(plan.startMs),
      end: instantOf(plan.endMs),
      status,
      confirmation,
      arrivedAt: arrivedMs === null ? null : instantOf(arrivedMs),
      seatedAt: seatedMs === null ? null : instantOf(seatedMs),
      dismissedAt: dismissedMs === null ? null : instantOf(dismissedMs),
      flags: [],
    };
    if (remark) appointment.notes = remark;
    if (cancelledReason) appointment.cancelledReason = cancelledReason;
    yield { collection: 'appointments', document: appointment };

    if (status === 'completed') {
      yield* this.completedVisit(appointmentId, seatedMs!, dismissedMs!);
    } else if (status === 'no_show' && random.chance(0.1)) {
      const fee = NO_SHOW_FEE_CENTS[this.options.currency];
      yield this.ledgerEntry(noShowMs!, this.context.setup.adminId, {
        kind: 'adjustment',
        amountCents: fee,
        adjustmentDirection: 'debit',
        description: LEDGER_TEXTS[this.options.locale].noShowFee,
      });
      this.balances[this.guarantor] = this.balances[this.guarantor]! + fee;
    } else if (status !== 'cancelled' && status !== 'no_show' && spec.plannedAhead) {
      const work = visitWork(random, spec.key, this.age, this.options.locale);
      for (const item of work) {
        yield this.procedure(item, 'planned', bookedMs, this.day, appointmentId);
      }
    }
    if (status === 'in_progress' && random.chance(0.3)) {
      const createdMs = this.notAfterNow(seatedMs! + random.int(5, 15) * MINUTE);
      yield this.note(appointmentId, createdMs, null, this.noteBody([], []));
    }
  }

  private confirmation(status: AppointmentStatus): ConfirmationStatus {
    const mix = (confirmed: number, leftMessage: number, unconfirmed: number) =>
      this.random.weighted<ConfirmationStatus>([
        ['confirmed', confirmed],
        ['left_message', leftMessage],
        ['unconfirmed', unconfirmed],
      ]);
    if (status === 'no_show') return mix(20, 40, 40);
    if (status === 'cancelled') return mix(40, 20, 40);
    if (status !== 'scheduled') return mix(80, 10, 10);
    const daysAhead = this.dayNumber - this.todayNumber;
    if (daysAhead <= 0) return mix(80, 10, 10);
    if (daysAhead <= 2) return mix(65, 20, 15);
    if (daysAhead <= 7) return mix(30, 20, 50);
    return mix(8, 7, 85);
  }

  private *completedVisit(
    appointmentId: string,
    seatedMs: number,
    dismissedMs: number,
  ): Generator<DemoRecord> {
    const { random, plan, options } = this;
    const { spec } = plan.type;
    const recordedMs = Math.max(seatedMs, dismissedMs - random.int(0, 5) * MINUTE);
    const done = visitWork(random, spec.key, this.age, options.locale);
    const procedures: { item: PlannedWork; document: Procedure }[] = [];
    for (const item of done) {
      const procedure = this.procedure(item, 'completed', recordedMs, this.day, appointmentId);
      procedures.push({ item, document: procedure.document });
      yield procedure;
    }
    if (spec.key === 'new_patient_exam' && random.chance(0.35)) {
      for (const item of existingWork(random, this.age)) {
        yield this.procedure(item, 'existing', recordedMs, this.day, appointmentId);
      }
    }
    if (spec.key === 'emergency' && this.age >= 18 && random.chance(0.1)) {
      const tooth = done.at(-1)?.tooth ?? null;
      if (tooth !== null) {
        yield this.procedure(
          { code: 'D3330', tooth, surfaces: '' },
          'referred',
          recordedMs,
          this.day,
          appointmentId,
        );
      }
    }
    const plansTreatment =
      (spec.key === 'new_patient_exam' || spec.key === 'follow_up' || spec.key === 'emergency') &&
      random.chance(0.25);
    const planned = plansTreatment ? treatmentPlan(random, this.age) : [];
    if (planned.length > 0) {
      const plannedDay = calendarDateOfDayNumber(this.dayNumber + random.int(7, 60));
      for (const item of planned) {
        yield this.procedure(item, 'planned', recordedMs, plannedDay);
      }
    }

    // Notes: dentists write most visits up; recent ones may still be unsigned drafts.
    if (random.chance(plan.provider.document.kind === 'dentist' ? 0.75 : 0.5)) {
      const createdMs = this.notAfterNow(dismissedMs + random.int(1, 20) * MINUTE);
      const recent = this.todayNumber - this.dayNumber <= 3;
      let signedMs: number | null = createdMs + random.int(1, 90) * MINUTE;
      if (signedMs > this.nowMs || (recent && random.chance(0.4))) signedMs = null;
      const body = this.noteBody(done, planned);
      const note = this.note(appointmentId, createdMs, signedMs, body);
      yield note;
      if (signedMs !== null && random.chance(0.01)) {
        const amendedMs = signedMs + random.int(60, 10 * 24 * 60) * MINUTE;
        if (amendedMs + 2 * MINUTE <= this.nowMs) {
          const text = random.pick(NOTE_PHRASES[options.locale].amendment);
          yield this.note(appointmentId, amendedMs, amendedMs + 2 * MINUTE, text, note.document.id);
        }
      }
    }

    yield* this.billVisit(procedures, dismissedMs);
  }

  /** Charges for the work done, sometimes a courtesy discount, and what the payer pays today. */
  private *billVisit(
    procedures: readonly { item: PlannedWork; document: Procedure }[],
    dismissedMs: number,
  ): Generator<DemoRecord> {
    const { random, options } = this;
    const texts = LEDGER_TEXTS[options.locale];
    let postedMs = dismissedMs;
    const nextPostedMs = (gapMs: number) => (postedMs = this.notAfterNow(postedMs + gapMs));
    let visitTotal = 0;
    for (const { item, document } of procedures) {
      if (document.feeCents === 0) continue;
      visitTotal += document.feeCents;
      yield this.ledgerEntry(nextPostedMs(SECOND), this.frontDesk(), {
        kind: 'charge',
        amountCents: document.feeCents,
        procedureId: document.id,
        description: this.procedureLabel(item),
      });
    }
    if (visitTotal === 0) return;
    let owed = this.balances[this.guarantor]! + visitTotal;
    if (random.chance(0.03)) {
      const discount = Math.max(100, Math.round(visitTotal / 1000) * 100);
      yield this.ledgerEntry(nextPostedMs(30 * SECOND), this.context.setup.adminId, {
        kind: 'adjustment',
        amountCents: discount,
        adjustmentDirection: 'credit',
        description: texts.courtesyDiscount,
      });
      owed -= discount;
    }

    const profile = PAYER_PROFILES[this.context.roster.payerProfile[this.guarantor]!]!;
    let paying = 0;
    if (owed > 0) {
      const share = (from: number, to: number) =>
        Math.floor((owed * (from + random.float() * (to - from))) / 1000) * 1000;
      if (profile === 'prompt') paying = random.chance(0.95) ? owed : 0;
      else if (profile === 'partial') {
        paying = random.weighted<number>([
          [owed, 20],
          [share(0.3, 0.9), 50],
          [0, 30],
        ]);
      } else paying = random.chance(0.15) ? share(0.2, 0.6) : 0;
    }

    const payments: { amount: number; method: PaymentMethod }[] = [];
    if (paying > 0) {
      const insured = this.context.roster.insured[this.plan.patient] === 1;
      if (insured && paying >= 2_000 && random.chance(0.4)) {
        const byPlan = Math.floor((paying * (0.4 + random.float() * 0.4)) / 100) * 100;
        payments.push({ amount: byPlan, method: 'insurance' });
        paying -= byPlan;
      }
      payments.push({
        amount: paying,
        method: random.weighted(PAYMENT_METHOD_MIX[options.currency]),
      });
    }
    for (const { amount, method } of payments) {
      if (amount <= 0) continue;
      const payment = this.ledgerEntry(nextPostedMs(random.int(1, 8) * MINUTE), this.frontDesk(), {
        kind: 'payment',
        amountCents: amount,
        method,
        description: PAYMENT_DESCRIPTIONS[options.locale][method],
      });
      yield payment;
      owed -= amount;
      // Now and then a card payment is disputed and reversed, and the amount is owed again.
      if (method === 'card' && random.chance(0.004)) {
        yield this.ledgerEntry(
          nextPostedMs(random.int(1, 30) * MINUTE),
          this.context.setup.adminId,
          {
            kind: 'payment',
            amountCents: amount,
            method,
            description: texts.paymentReversal,
            reversesEntryId: payment.document.id,
          },
        );
        owed += amount;
      }
    }
    this.balances[this.guarantor] = owed;
  }

  private procedureLabel({ code, tooth, surfaces }: PlannedWork): string {
    const { locale } = this.options;
    const description = procedureDescription(code, locale);
    if (tooth === null) return `${code} ${description}`;
    const toothText = locale === 'pt_BR' ? `dente ${tooth}` : `tooth #${toUniversal(tooth)}`;
    return `${code} ${description} (${toothText}${surfaces ? ` ${surfaces}` : ''})`;
  }

  private noteBody(done: readonly PlannedWork[], planned: readonly PlannedWork[]): string {
    const { random } = this;
    const phrases = NOTE_PHRASES[this.options.locale];
    const list = (items: readonly PlannedWork[]) =>
      items.map((item) => this.procedureLabel(item)).join('; ');
    const visitName = this.plan.type.spec.name[this.options.locale].toLowerCase();
    const sentences = [random.pick(phrases.opening).replace('{visit}', visitName)];
    if (done.length > 0) {
      if (done.some((item) => NEEDS_ANESTHESIA.test(item.code))) {
        sentences.push(random.pick(phrases.anesthesia));
      }
      sentences.push(phrases.done.replace('{procedures}', list(done)));
    }
    sentences.push(random.pick(phrases.findings));
    if (planned.length > 0) sentences.push(phrases.planned.replace('{procedures}', list(planned)));
    if (done.length > 0) sentences.push(random.pick(phrases.instructions));
    return sentences.join(' ');
  }

  private procedure(
    item: PlannedWork,
    status: Procedure['status'],
    recordedMs: number,
    date: string,
    appointmentId?: string,
  ): Extract<DemoRecord, { collection: 'procedures' }> {
    const billable = status === 'completed' || status === 'planned';
    const document: Procedure = {
      id: this.ids.next(recordedMs),
      clinicId: this.options.clinicId,
      updatedAt: instantOf(recordedMs),
      updatedBy: this.staffId,
      patientId: this.patientId,
      providerId: this.plan.provider.document.id,
      cdtCode: item.code,
      tooth: item.tooth,
      surfaces: item.surfaces,
      status,
      feeCents: billable ? feeCents(item.code, this.options.currency) : 0,
      currency: this.options.currency,
      date,
    };
    if (appointmentId) document.appointmentId = appointmentId;
    if (item.notes) document.notes = item.notes;
    return { collection: 'procedures', document };
  }

  private note(
    appointmentId: string,
    createdMs: number,
    signedMs: number | null,
    body: string,
    amendsNoteId?: string,
  ): Extract<DemoRecord, { collection: 'clinical_notes' }> {
    const document: ClinicalNote = {
      id: this.ids.next(createdMs),
      clinicId: this.options.clinicId,
      updatedAt: instantOf(signedMs ?? createdMs),
      updatedBy: this.staffId,
      patientId: this.patientId,
      appointmentId,
      providerId: this.plan.provider.document.id,
      body,
      status: signedMs === null ? 'draft' : 'signed',
      createdAt: instantOf(createdMs),
    };
    if (signedMs !== null) {
      document.signedAt = instantOf(signedMs);
      document.signedBy = this.staffId;
    }
    if (amendsNoteId) document.amendsNoteId = amendsNoteId;
    return { collection: 'clinical_notes', document };
  }

  private ledgerEntry(
    postedMs: number,
    postedBy: string,
    fields: Pick<LedgerEntry, 'kind' | 'amountCents' | 'description'> &
      Partial<
        Pick<LedgerEntry, 'adjustmentDirection' | 'method' | 'procedureId' | 'reversesEntryId'>
      >,
  ): Extract<DemoRecord, { collection: 'ledger_entries' }> {
    const document: LedgerEntry = {
      id: this.ids.next(postedMs),
      clinicId: this.options.clinicId,
      updatedAt: instantOf(postedMs),
      updatedBy: postedBy,
      patientId: this.patientId,
      guarantorId: this.context.roster.ids[this.guarantor]!,
      kind: fields.kind,
      amountCents: fields.amountCents,
      currency: this.options.currency,
      description: fields.description,
      postedAt: instantOf(postedMs),
    };
    if (fields.adjustmentDirection) document.adjustmentDirection = fields.adjustmentDirection;
    if (fields.method) document.method = fields.method;
    if (fields.procedureId) document.procedureId = fields.procedureId;
    if (fields.reversesEntryId) document.reversesEntryId = fields.reversesEntryId;
    return { collection: 'ledger_entries', document };
  }
}
