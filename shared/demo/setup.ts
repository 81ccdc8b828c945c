// The clinic's fixed setup: staff logins, bookable providers with weekly hours, rooms and
// visit kinds. Staff e-mails depend only on the role and position, never on the seed, so the
// demo logins are the same for every demo clinic.
import { Faker, base, en, pt_BR } from '@faker-js/faker';
import type { StaffRole } from '../domain/enums';
import type { AppointmentType, Operatory, Provider, StaffMember } from '../domain/schemas/index';
import { instantOf } from './calendar';
import type { DemoLocale, ResolvedDemoClinicOptions } from './options';
import type { DemoIdFactory } from './random';
import { DemoRandom } from './random';
import { APPOINTMENT_TYPE_SPECS, OPERATORY_NAME, type AppointmentTypeSpec } from './vocabulary';

export type WorkingHours = Provider['workingHours'];

/** Weekly hours, rotated over the providers of each kind, so the clinic has its busy days. */
const DENTIST_HOURS: readonly WorkingHours[] = [
  weekdays([1, 2, 3, 4, 5], ['08:00', '12:00'], ['13:00', '18:00']),
  [
    ...weekdays([1, 2, 3, 4], ['09:00', '13:00'], ['14:00', '19:00']),
    ...weekdays([6], ['08:00', '12:00']),
  ],
  [
    ...weekdays([1, 3, 5], ['08:00', '12:00'], ['13:00', '17:00']),
    ...weekdays([2], ['13:00', '19:00']),
  ],
  [
    ...weekdays([2, 4], ['08:00', '12:00'], ['13:00', '18:00']),
    ...weekdays([6], ['08:00', '13:00']),
  ],
];
const HYGIENIST_HOURS: readonly WorkingHours[] = [
  weekdays([1, 2, 3, 4, 5], ['07:30', '11:30'], ['12:30', '16:30']),
  [
    ...weekdays([1, 2, 4], ['10:00', '13:00'], ['14:00', '19:00']),
    ...weekdays([6], ['08:00', '12:00']),
  ],
  weekdays([3, 5], ['08:00', '12:00'], ['13:00', '17:00']),
];

function weekdays(days: readonly number[], ...spans: (readonly [string, string])[]): WorkingHours {
  return days.flatMap((day) => spans.map(([start, end]) => ({ day, start, end })));
}

const PROVIDER_COLOURS = ['#3a7bd5', '#d5533a', '#3ad58a', '#9b3ad5', '#d5b43a', '#3ac4d5'];

export interface DemoProviderInfo {
  document: Provider;
  staffId: string;
  /** Index among all providers: the room it prefers is `index % operatories`. */
  index: number;
}

export interface DemoSetup {
  staff: StaffMember[];
  providers: DemoProviderInfo[];
  operatories: Operatory[];
  appointmentTypes: { spec: AppointmentTypeSpec; document: AppointmentType }[];
  adminId: string;
  frontDeskIds: string[];
}

/** One demo login: the server CLI gives it a password; none is generated here. */
export interface DemoLogin {
  email: string;
  role: StaffRole;
  name: string;
  staffId: string;
  /** The provider a dentist or hygienist works as, so their day opens on their own schedule. */
  providerId: string | null;
}

export function newFaker(locale: DemoLocale, seed: number): Faker {
  const faker = new Faker({ locale: locale === 'pt_BR' ? [pt_BR, en, base] : [en, base] });
  faker.seed(seed);
  return faker;
}

/** A small positive integer from a seed and a stream label, to seed Faker per stream. */
export function streamSeed(seed: number, stream: string): number {
  return new DemoRandom(`${seed}:${stream}`).uint32();
}

function providerTitle(
  locale: DemoLocale,
  name: string,
  kind: 'dentist' | 'hygienist',
  female: boolean,
) {
  if (kind === 'hygienist') return locale === 'pt_BR' ? `${name} (TSB)` : `${name}, RDH`;
  if (locale === 'pt_BR') return `${female ? 'Dra.' : 'Dr.'} ${name}`;
  return `Dr. ${name}`;
}

/** Milliseconds when the clinic was set up in the story: well before any patient. */
export function clinicSetupMs(options: ResolvedDemoClinicOptions): number {
  return Date.parse(`${options.startDay}T12:00:00.000Z`) - 6 * 365 * 86_400_000;
}

export function buildSetup(options: ResolvedDemoClinicOptions, ids: DemoIdFactory): DemoSetup {
  const faker = newFaker(options.locale, streamSeed(options.seed, 'setup'));
  const setupMs = clinicSetupMs(options);
  let clock = setupMs;
  // Every setup record gets its own minute, so ids and updatedAt read in creation order.
  const nextMs = () => (clock += 60_000);
  const { dentists, hygienists } = options.providers;
  const domain = options.staffEmailDomain;

  const stamp = () => {
    const ms = nextMs();
    return { id: ids.next(ms), ms };
  };
  const admin = stamp();
  const adminId = admin.id;
  const providerCount = dentists + hygienists;
  const providerStamps = Array.from({ length: providerCount }, stamp);
  const providerStaffStamps = Array.from({ length: providerCount }, stamp);
  const frontDeskStamps = Array.from({ length: options.frontDesk }, stamp);
  const baseFields = ({ id, ms }: { id: string; ms: number }) => ({
    id,
    clinicId: options.clinicId,
    updatedAt: instantOf(ms),
    updatedBy: adminId,
  });

  const person = () => {
    const female = faker.datatype.boolean();
    const sex = female ? 'female' : 'male';
    return { name: `${faker.person.firstName(sex)} ${faker.person.lastName()}`, female };
  };

  const staff: StaffMember[] = [
    {
      ...baseFields(admin),
      name: person().name,
      email: `admin@${domain}`,
      role: 'admin',
      active: true,
    },
  ];
  const providers: DemoProviderInfo[] = [];
  for (let index = 0; index < providerCount; index++) {
    const kind = index < dentists ? 'dentist' : 'hygienist';
    const numberOfKind = kind === 'dentist' ? index + 1 : index - dentists + 1;
    const hours = kind === 'dentist' ? DENTIST_HOURS : HYGIENIST_HOURS;
    const { name, female } = person();
    const providerStamp = providerStamps[index]!;
    const staffStamp = providerStaffStamps[index]!;
    const providerId = providerStamp.id;
    const staffId = staffStamp.id;
    staff.push({
      ...baseFields(staffStamp),
      name,
      email: `${kind}${numberOfKind}@${domain}`,
      role: kind,
      active: true,
      providerId,
    });
    providers.push({
      index,
      staffId,
      document: {
        ...baseFields(providerStamp),
        kind,
        name: providerTitle(options.locale, name, kind, female),
        colour: PROVIDER_COLOURS[index % PROVIDER_COLOURS.length]!,
        workingHours: structuredClone(hours[(numberOfKind - 1) % hours.length]!),
        active: true,
        staffId,
      },
    });
  }
  frontDeskStamps.forEach((frontDesk, index) => {
    staff.push({
      ...baseFields(frontDesk),
      name: person().name,
      email: `frontdesk${index + 1}@${domain}`,
      role: 'front_desk',
      active: true,
    });
  });

  const operatories: Operatory[] = Array.from({ length: options.operatories }, (_, index) => ({
    ...baseFields(stamp()),
    name: `${OPERATORY_NAME[options.locale]} ${index + 1}`,
    code: `OP${index + 1}`,
    active: true,
    sortOrder: index + 1,
  }));

  const appointmentTypes = APPOINTMENT_TYPE_SPECS.map((spec) => {
    const document: AppointmentType = {
      ...baseFields(stamp()),
      name: spec.name[options.locale],
      durationMinutes: spec.durationMinutes,
      colour: spec.colour,
      active: true,
    };
    return { spec, document };
  });

  const frontDeskIds = frontDeskStamps.map(({ id }) => id);
  return { staff, providers, operatories, appointmentTypes, adminId, frontDeskIds };
}
