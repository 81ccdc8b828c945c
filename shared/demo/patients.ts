// Demo patients, made household by household so that families share a family id, a surname,
// an address and often a dental plan, and children are billed to a parent. Everyone is invented:
// Faker combines first and last names from lists, phone numbers sit in ranges reserved for
// fiction, e-mails use the reserved example.* domains.
import type { Faker } from '@faker-js/faker';
import type { PatientStatus, Sex } from '../domain/enums';
import { derivePatientSearchFields, normalizeNameForSearch } from '../domain/schemas/index';
import type { Patient } from '../domain/schemas/index';
import { calendarDateOfDayNumber, calendarDayNumber, instantOf } from './calendar';
import type { DemoLocale, ResolvedDemoClinicOptions } from './options';
import type { DemoIdFactory, DemoRandom } from './random';
import { ALLERGIES, INSURANCE_CARRIERS, MEDICAL_ALERTS } from './vocabulary';

/** How a guarantor settles their account; most pay at the desk, a few let it run. */
export const PAYER_PROFILES = ['prompt', 'partial', 'owing'] as const;
export type PayerProfile = (typeof PAYER_PROFILES)[number];

/** What scheduling and billing need to know of each patient, in compact arrays by index. */
export interface PatientRoster {
  ids: string[];
  birthDates: string[];
  guarantorOf: Int32Array;
  insured: Uint8Array;
  /** Index into PAYER_PROFILES; meaningful for guarantors. */
  payerProfile: Uint8Array;
  /** Indices of the patients who can be booked (status active). */
  bookable: number[];
}

type Role = 'primary' | 'spouse' | 'child' | 'parent';
interface MemberPlan {
  role: Role;
  age: number;
}

const HOUSEHOLDS: readonly (readonly [(random: DemoRandom) => MemberPlan[], number])[] = [
  [(random) => [{ role: 'primary', age: adultAge(random) }], 34],
  [
    (random) => {
      const age = random.int(22, 80);
      return [
        { role: 'primary', age },
        { role: 'spouse', age: clampAge(age + random.int(-6, 6), 20) },
      ];
    },
    16,
  ],
  [(random) => withChildren(random, random.int(26, 52), true, random.int(1, 3)), 26],
  [(random) => withChildren(random, random.int(22, 50), false, random.int(1, 2)), 10],
  [
    (random) => {
      const age = random.int(62, 90);
      return [
        { role: 'primary', age },
        { role: 'spouse', age: clampAge(age + random.int(-5, 5), 60) },
      ];
    },
    8,
  ],
  [
    (random) => {
      const age = random.int(35, 62);
      return [
        { role: 'primary', age },
        { role: 'parent', age: Math.min(98, age + random.int(22, 35)) },
      ];
    },
    6,
  ],
];

function adultAge(random: DemoRandom): number {
  const [from, to] = random.weighted<readonly [number, number]>([
    [[18, 29], 30],
    [[30, 44], 30],
    [[45, 64], 28],
    [[65, 90], 12],
  ]);
  return random.int(from, to);
}

function clampAge(age: number, min: number): number {
  return Math.max(min, Math.min(95, age));
}

function withChildren(
  random: DemoRandom,
  parentAge: number,
  couple: boolean,
  children: number,
): MemberPlan[] {
  const members: MemberPlan[] = [{ role: 'primary', age: parentAge }];
  if (couple) members.push({ role: 'spouse', age: clampAge(parentAge + random.int(-5, 5), 20) });
  const oldestChild = Math.min(17, parentAge - 20);
  for (let i = 0; i < children; i++)
    members.push({ role: 'child', age: random.int(0, oldestChild) });
  return members;
}

function pickSex(random: DemoRandom): Sex {
  return random.weighted<Sex>([
    ['female', 495],
    ['male', 495],
    ['other', 5],
    ['unknown', 5],
  ]);
}

function oppositeSex(random: DemoRandom, sex: Sex): Sex {
  if (random.chance(0.05) || (sex !== 'female' && sex !== 'male')) return pickSex(random);
  return sex === 'female' ? 'male' : 'female';
}

/** A few distinct entries of a weighted list. */
function distinctPicks(
  random: DemoRandom,
  choices: readonly (readonly [string, number])[],
  count: number,
): string[] {
  const picked = new Set<string>();
  for (let tries = 0; picked.size < count && tries < count * 4; tries++) {
    picked.add(random.weighted(choices));
  }
  return [...picked];
}

/** The letters of a name usable in an e-mail address: "João" -> "joao", "O'Brien" -> "obrien". */
function emailPart(name: string): string {
  return normalizeNameForSearch(name)
    .replace(/ /g, '.')
    .replace(/[^a-z0-9.]/g, '');
}

const EXAMPLE_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;

interface Locality {
  city: string;
  region: string;
  /** Area code used for local phone numbers. */
  areaCode: string;
}

function phoneNumber(
  random: DemoRandom,
  locale: DemoLocale,
  kind: 'mobile' | 'home',
  area: string,
): string {
  // 555-01xx is the North American range set aside for fiction; the Brazilian numbers copy the
  // pattern (5555-xxxx after the mobile 9) so that none should reach a real line.
  if (locale === 'en') return `+1 (${area}) 555-01${String(random.int(0, 99)).padStart(2, '0')}`;
  const line = String(random.int(0, 9999)).padStart(4, '0');
  return kind === 'mobile' ? `+55 (${area}) 95555-${line}` : `+55 (${area}) 5555-${line}`;
}

function otherAreaCode(random: DemoRandom, locale: DemoLocale): string {
  return locale === 'en'
    ? String(random.int(201, 989))
    : random.pick(['11', '19', '21', '27', '31', '41', '48', '51', '61', '71', '81', '85']);
}

export interface PatientStreamContext {
  options: ResolvedDemoClinicOptions;
  ids: DemoIdFactory;
  random: DemoRandom;
  faker: Faker;
  frontDeskIds: readonly string[];
  /** Patients registered between these two instants of the story. */
  earliestRegistrationMs: number;
  latestRegistrationMs: number;
}

/**
 * Yields `options.patients` patients, household by household, filling `roster` as it goes. The
 * last household is cut short to hit the count exactly; its first member is always the adult
 * who carries the account, so every guarantor exists.
 */
export function* generatePatients(
  context: PatientStreamContext,
  roster: PatientRoster,
): Generator<Patient> {
  const { options, ids, random, faker, frontDeskIds } = context;
  const { locale } = options;
  const todayNumber = calendarDayNumber(options.today);
  const home: Locality = {
    city: faker.location.city(),
    region: faker.location.state({ abbreviated: true }),
    areaCode: locale === 'en' ? String(random.int(201, 989)) : '11',
  };
  const insuredShare = locale === 'en' ? 0.6 : 0.3;

  while (roster.ids.length < options.patients) {
    const plan = random
      .weighted(HOUSEHOLDS)(random)
      .slice(0, options.patients - roster.ids.length);
    const local = random.chance(0.85);
    const locality: Locality = local
      ? home
      : {
          city: faker.location.city(),
          region: faker.location.state({ abbreviated: true }),
          areaCode: otherAreaCode(random, locale),
        };
    const address: NonNullable<Patient['address']> =
      locale === 'pt_BR'
        ? {
            line1: `${faker.location.street()}, ${random.int(1, 3999)}`,
            ...(random.chance(0.4) ? { line2: `Apto ${random.int(11, 184)}` } : {}),
            city: locality.city,
            region: locality.region,
            postalCode: faker.location.zipCode(),
            country: 'BR',
          }
        : {
            line1: faker.location.streetAddress(),
            ...(random.chance(0.2) ? { line2: faker.location.secondaryAddress() } : {}),
            city: locality.city,
            region: locality.region,
            postalCode: faker.location.zipCode(),
            country: 'US',
          };
    const familyName =
      locale === 'pt_BR' && random.chance(0.4)
        ? `${faker.person.lastName()} ${faker.person.lastName()}`
        : faker.person.lastName();
    const homePhone = random.chance(0.25)
      ? { kind: 'home' as const, number: phoneNumber(random, locale, 'home', locality.areaCode) }
      : null;
    const plan0Insured = random.chance(insuredShare);
    const carrier = random.pick(INSURANCE_CARRIERS[locale]);
    const memberBase = String(random.int(10_000_000, 99_999_999));
    const groupNumber = locale === 'en' ? `GRP-${random.int(10_000, 99_999)}` : undefined;
    const registeredMs = Math.floor(
      context.earliestRegistrationMs +
        random.float() * (context.latestRegistrationMs - context.earliestRegistrationMs),
    );

    const primaryIndex = roster.ids.length;
    let primaryId = '';
    let primaryName = '';
    let primaryMobile: Patient['phones'][number] | null = null;
    let previousSex: Sex = 'unknown';
    const householdOfOne = plan.length === 1;

    for (const [position, member] of plan.entries()) {
      const sex: Sex =
        member.role === 'spouse' ? oppositeSex(random, previousSex) : pickSex(random);
      if (position === 0) previousSex = sex;
      const nameSex = sex === 'female' || sex === 'male' ? sex : undefined;
      const firstName = faker.person.firstName(nameSex);
      const ownSurname = member.role === 'spouse' && random.chance(locale === 'pt_BR' ? 0.5 : 0.3);
      const lastName =
        ownSurname || member.role === 'parent' ? faker.person.lastName() : familyName;

      // Born on a random day of the year that makes them `age` today.
      const birthNumber =
        member.age === 0
          ? todayNumber - random.int(30, 360)
          : todayNumber - Math.floor(member.age * 365.2425) - random.int(0, 364);
      const birthDate = calendarDateOfDayNumber(birthNumber);
      const birthMs = birthNumber * 86_400_000;
      const createdMs = Math.max(registeredMs, birthMs + 7 * 86_400_000 + 9 * 3_600_000);
      const id = ids.next(createdMs);
      if (position === 0) primaryId = id;

      const adult = member.age >= 18;
      const phones: Patient['phones'] = [];
      if (adult || member.age >= 14) {
        if (random.chance(adult ? 0.95 : 0.6)) {
          phones.push({
            kind: 'mobile',
            number: phoneNumber(random, locale, 'mobile', locality.areaCode),
          });
        }
        if (adult && random.chance(0.1)) {
          phones.push({
            kind: 'work',
            number: phoneNumber(random, locale, 'home', locality.areaCode),
          });
        }
      }
      // Children are reached on a parent's mobile; the household line comes after own numbers.
      if (!adult && primaryMobile) phones.unshift({ ...primaryMobile });
      if (homePhone) {
        // Older patients are best reached at home; for everyone else it is a second number.
        if (member.age >= 65) phones.unshift({ ...homePhone });
        else phones.push({ ...homePhone });
      }
      if (position === 0) primaryMobile = phones.find((phone) => phone.kind === 'mobile') ?? null;

      const wantsEmail = adult ? random.chance(0.85) : member.age >= 14 && random.chance(0.4);
      const email = wantsEmail
        ? `${emailPart(firstName) || 'patient'}.${emailPart(lastName) || 'demo'}${random.int(1, 999)}@${random.pick(EXAMPLE_DOMAINS)}`
        : undefined;

      const onHouseholdPlan = plan0Insured && (member.role !== 'parent' || random.chance(0.2));
      const ownPlan = !onHouseholdPlan && member.role === 'parent' && random.chance(0.5);
      const insurance: Patient['insurance'] = [];
      if (onHouseholdPlan) {
        const relationship =
          position === 0
            ? 'self'
            : member.role === 'spouse'
              ? 'spouse'
              : member.role === 'child'
                ? 'child'
                : 'other';
        insurance.push({
          carrier,
          memberId: `${memberBase}-${String(position + 1).padStart(2, '0')}`,
          ...(groupNumber ? { groupNumber } : {}),
          ...(relationship === 'self' ? {} : { subscriberName: primaryName }),
          relationship,
        });
      } else if (ownPlan) {
        insurance.push({
          carrier: random.pick(INSURANCE_CARRIERS[locale]),
          memberId: `${random.int(10_000_000, 99_999_999)}-01`,
          relationship: 'self',
        });
      }

      const allergyCount = random.chance(0.1) ? (random.chance(0.85) ? 1 : 2) : 0;
      const allergies = distinctPicks(random, ALLERGIES[locale], allergyCount);
      const alertChance =
        member.age < 18 ? 0.04 : member.age < 50 ? 0.1 : member.age < 65 ? 0.25 : 0.45;
      const alertChoices =
        member.age < 18
          ? MEDICAL_ALERTS[locale].filter((_, i) => i === 3 || i === 8) // asthma, dental anxiety
          : MEDICAL_ALERTS[locale];
      const medicalAlerts = random.chance(alertChance)
        ? distinctPicks(random, alertChoices, random.int(1, member.age >= 65 ? 3 : 2))
        : [];

      const status: PatientStatus =
        position > 0 && member.age >= 70 && random.chance(0.03)
          ? 'deceased'
          : random.weighted<PatientStatus>([
              ['active', 93],
              ['inactive', 5],
              ['archived', 2],
            ]);

      // Children are billed to the household's adult; a spouse sometimes is too.
      const billedToPrimary =
        position > 0 &&
        (member.role === 'child' || (member.role === 'spouse' && random.chance(0.4)));
      const guarantorIndex = billedToPrimary ? primaryIndex : primaryIndex + position;
      const preferredName =
        adult && random.chance(0.03) ? faker.person.firstName(nameSex) : undefined;

      const searchFields = derivePatientSearchFields({ firstName, lastName, phones });
      const patient: Patient = {
        id,
        clinicId: options.clinicId,
        updatedAt: instantOf(createdMs),
        updatedBy: random.pick(frontDeskIds),
        firstName,
        lastName,
        birthDate,
        sex,
        phones,
        address: { ...address },
        insurance,
        allergies,
        medicalAlerts,
        status,
        familyId: householdOfOne ? id : primaryId,
        guarantorId: billedToPrimary ? primaryId : id,
        nameKey: searchFields.nameKey,
        phoneKey: searchFields.phoneKey,
      };
      // Optional fields are added after: spreads of varying shapes are slow at this volume.
      if (preferredName) patient.preferredName = preferredName;
      if (email) patient.email = email;
      if (position === 0) primaryName = `${firstName} ${lastName}`;

      roster.ids.push(id);
      roster.birthDates.push(birthDate);
      roster.guarantorOf[roster.ids.length - 1] = guarantorIndex;
      roster.insured[roster.ids.length - 1] = insurance.length > 0 ? 1 : 0;
      roster.payerProfile[roster.ids.length - 1] = PAYER_PROFILES.indexOf(
        random.weighted<PayerProfile>([
          ['prompt', 80],
          ['partial', 15],
          ['owing', 5],
        ]),
      );
      if (status === 'active') roster.bookable.push(roster.ids.length - 1);
      yield patient;
    }
  }
}

export function newPatientRoster(count: number): PatientRoster {
  return {
    ids: [],
    birthDates: [],
    guarantorOf: new Int32Array(count),
    insured: new Uint8Array(count),
    payerProfile: new Uint8Array(count),
    bookable: [],
  };
}
