// What is done at each kind of demo visit: CDT codes from the starter list, on teeth that suit
// the patient's age (primary teeth for small children) and surfaces that suit the tooth.
import { DEFAULT_PROCEDURE_LIST, type CdtCode } from '../domain/rules/cdt';
import { allowedSurfaces, normalizeSurfaces } from '../domain/rules/surfaces';
import { isPosterior, type ToothId } from '../domain/rules/teeth';
import type { DemoCurrency, DemoLocale } from './options';
import type { DemoRandom } from './random';
import { PROCEDURE_DESCRIPTIONS_PT_BR, type AppointmentTypeKey } from './vocabulary';

export interface PlannedWork {
  code: CdtCode;
  tooth: ToothId | null;
  /** Canonical for the tooth (normalizeSurfaces), "" when not on surfaces. */
  surfaces: string;
  notes?: string;
}

// prettier-ignore
const PERMANENT_POSTERIOR: readonly ToothId[] = [
  '14', '15', '16', '17', '24', '25', '26', '27', '34', '35', '36', '37', '44', '45', '46', '47',
];
// prettier-ignore
const PERMANENT_ANTERIOR: readonly ToothId[] = [
  '11', '12', '13', '21', '22', '23', '31', '32', '33', '41', '42', '43',
];
const PERMANENT_MOLARS: readonly ToothId[] = ['16', '17', '26', '27', '36', '37', '46', '47'];
const FIRST_MOLARS: readonly ToothId[] = ['16', '26', '36', '46'];
const SECOND_MOLARS: readonly ToothId[] = ['17', '27', '37', '47'];
const THIRD_MOLARS: readonly ToothId[] = ['18', '28', '38', '48'];
const PRIMARY_MOLARS: readonly ToothId[] = ['54', '55', '64', '65', '74', '75', '84', '85'];
// prettier-ignore
const PRIMARY_ANTERIOR: readonly ToothId[] = [
  '51', '52', '53', '61', '62', '63', '71', '72', '73', '81', '82', '83',
];
// prettier-ignore
const IMPLANT_SITES: readonly ToothId[] = [
  '14', '15', '16', '24', '25', '26', '34', '35', '36', '44', '45', '46',
];

const QUADRANT_NAMES: Readonly<Record<DemoLocale, readonly string[]>> = {
  pt_BR: [
    'Quadrante superior direito',
    'Quadrante superior esquerdo',
    'Quadrante inferior esquerdo',
    'Quadrante inferior direito',
  ],
  en: [
    'Upper right quadrant',
    'Upper left quadrant',
    'Lower left quadrant',
    'Lower right quadrant',
  ],
};

/** Only primary teeth before 6, mixed to 11, permanent from 12: what is in the mouth to treat. */
function posteriorTooth(random: DemoRandom, age: number): ToothId {
  if (age < 6) return random.pick(PRIMARY_MOLARS);
  if (age < 12) return random.chance(0.5) ? random.pick(PRIMARY_MOLARS) : random.pick(FIRST_MOLARS);
  return random.pick(PERMANENT_POSTERIOR);
}

function anteriorTooth(random: DemoRandom, age: number): ToothId {
  return age < 7 ? random.pick(PRIMARY_ANTERIOR) : random.pick(PERMANENT_ANTERIOR);
}

/** Surface letters for a filling, in whatever order, made canonical by normalizeSurfaces. */
function fillingSurfaces(random: DemoRandom, tooth: ToothId, surfaceCount: 1 | 2): string {
  const [mesial, biting, distal, vestibular, lingual] = allowedSurfaces(tooth) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const typed =
    surfaceCount === 1
      ? random.weighted([
          [biting, isPosterior(tooth) ? 55 : 5],
          [vestibular, 20],
          [mesial, 10],
          [distal, 10],
          [lingual, 10],
        ])
      : random.weighted([
          [`${biting}${mesial}`, 35],
          [`${distal}${biting}`, 35],
          [`${mesial}${vestibular}`, 10],
          [`${vestibular}${distal}`, 10],
          [`${lingual}${biting}`, 10],
        ]);
  return normalizeSurfaces(tooth, typed);
}

function filling(random: DemoRandom, age: number, avoid: ReadonlySet<string>): PlannedWork {
  let tooth: ToothId;
  const posterior = random.chance(0.75);
  do {
    tooth = posterior ? posteriorTooth(random, age) : anteriorTooth(random, age);
  } while (avoid.has(tooth) && avoid.size < 8);
  const surfaceCount = random.chance(0.65) ? 1 : 2;
  const amalgam = posterior && random.chance(0.15);
  const code: CdtCode = posterior
    ? amalgam
      ? surfaceCount === 1
        ? 'D2140'
        : 'D2150'
      : surfaceCount === 1
        ? 'D2391'
        : 'D2392'
    : surfaceCount === 1
      ? 'D2330'
      : 'D2331';
  return { code, tooth, surfaces: fillingSurfaces(random, tooth, surfaceCount) };
}

function fillings(random: DemoRandom, age: number, count: number): PlannedWork[] {
  const teeth = new Set<string>();
  const work: PlannedWork[] = [];
  for (let i = 0; i < count; i++) {
    const item = filling(random, age, teeth);
    if (teeth.has(item.tooth!)) continue;
    teeth.add(item.tooth!);
    work.push(item);
  }
  return work;
}

const onTooth = (code: CdtCode, tooth: ToothId | null): PlannedWork => ({
  code,
  tooth,
  surfaces: '',
});

function crown(random: DemoRandom): PlannedWork[] {
  const tooth = random.chance(0.8)
    ? random.pick(PERMANENT_POSTERIOR)
    : random.pick(PERMANENT_ANTERIOR);
  const work = [onTooth('D2740', tooth)];
  if (random.chance(0.5)) work.unshift(onTooth('D2950', tooth));
  return work;
}

function rootCanal(random: DemoRandom): PlannedWork[] {
  const molar = random.chance(0.6);
  const tooth = molar ? random.pick(PERMANENT_MOLARS) : random.pick(PERMANENT_ANTERIOR);
  return [onTooth('D0220', null), onTooth(molar ? 'D3330' : 'D3310', tooth)];
}

function extraction(random: DemoRandom, age: number): PlannedWork[] {
  if (age < 12) {
    const tooth = random.chance(0.6) ? random.pick(PRIMARY_MOLARS) : random.pick(PRIMARY_ANTERIOR);
    return [onTooth('D7140', tooth)];
  }
  const work: PlannedWork[] = random.chance(0.4) ? [onTooth('D0220', null)] : [];
  if (age >= 16 && random.chance(0.5)) work.push(onTooth('D7210', random.pick(THIRD_MOLARS)));
  else work.push(onTooth('D7140', random.pick(PERMANENT_POSTERIOR)));
  return work;
}

/** What a treatment plan written at an exam may hold for a patient of this age. */
function treatmentPlanItem(random: DemoRandom, age: number): PlannedWork[] {
  if (age < 18) return random.chance(0.85) ? fillings(random, age, 1) : extraction(random, age);
  return random.weighted<() => PlannedWork[]>([
    [() => fillings(random, age, random.int(1, 2)), 60],
    [() => crown(random), 15],
    [() => rootCanal(random).slice(1), 10],
    [() => extraction(random, age), 10],
    [() => [onTooth('D6010', random.pick(IMPLANT_SITES))], age >= 25 ? 5 : 0],
  ])();
}

/** The procedures done at (or planned for) a visit of kind `key` for a patient aged `age`. */
export function visitWork(
  random: DemoRandom,
  key: AppointmentTypeKey,
  age: number,
  locale: DemoLocale,
): PlannedWork[] {
  switch (key) {
    case 'checkup_cleaning': {
      const work = [onTooth('D1110', null)];
      if (random.chance(0.9)) work.unshift(onTooth('D0120', null));
      if (random.chance(0.25)) work.push(onTooth('D0274', null));
      return work;
    }
    case 'child_cleaning': {
      const work = [onTooth('D1120', null)];
      if (random.chance(0.7)) work.unshift(onTooth('D0120', null));
      if (random.chance(0.8)) work.push(onTooth('D1206', null));
      return work;
    }
    case 'sealants': {
      const molars = age >= 12 ? [...FIRST_MOLARS, ...SECOND_MOLARS] : FIRST_MOLARS;
      const count = random.int(2, Math.min(4, molars.length));
      const start = random.int(0, molars.length - 1);
      return Array.from({ length: count }, (_, i) => ({
        code: 'D1351' as const,
        tooth: molars[(start + i) % molars.length]!,
        surfaces: 'O',
      }));
    }
    case 'perio_maintenance':
      return random.chance(0.5)
        ? [onTooth('D0120', null), onTooth('D4910', null)]
        : [onTooth('D4910', null)];
    case 'scaling': {
      const first = random.pick([0, 2]);
      return [first, first + 1].map((quadrant) => ({
        ...onTooth('D4341', null),
        notes: QUADRANT_NAMES[locale][quadrant]!,
      }));
    }
    case 'new_patient_exam': {
      const imaging = random.weighted<CdtCode>([
        ['D0210', 40],
        ['D0330', 40],
        ['D0274', 20],
      ]);
      return [onTooth('D0150', null), onTooth(imaging, null)];
    }
    case 'follow_up':
      return random.chance(0.2)
        ? [onTooth('D0120', null), onTooth('D0220', null)]
        : [onTooth('D0120', null)];
    case 'filling':
      return fillings(
        random,
        age,
        random.weighted([
          [1, 70],
          [2, 25],
          [3, 5],
        ] as const),
      );
    case 'crown':
      return crown(random);
    case 'root_canal':
      return rootCanal(random);
    case 'extraction':
      return extraction(random, age);
    case 'emergency': {
      const tooth = age < 12 ? posteriorTooth(random, age) : random.pick(PERMANENT_POSTERIOR);
      return [onTooth('D0140', null), onTooth('D0220', null), onTooth('D9110', tooth)];
    }
    case 'implant':
      return [onTooth('D6010', random.pick(IMPLANT_SITES))];
  }
}

/** Restorations found already in the mouth at a first exam (charted, not billed). */
export function existingWork(random: DemoRandom, age: number): PlannedWork[] {
  if (age < 12) return [];
  return random.chance(0.8) ? fillings(random, age, random.int(1, 2)) : crown(random).slice(-1);
}

/** A treatment plan of one to three items, written at an exam. */
export function treatmentPlan(random: DemoRandom, age: number): PlannedWork[] {
  const work: PlannedWork[] = [];
  const teeth = new Set<string>();
  const items = random.int(1, 3);
  for (let i = 0; i < items; i++) {
    for (const item of treatmentPlanItem(random, age)) {
      if (item.tooth !== null && teeth.has(item.tooth) && item.code !== 'D2740') continue;
      if (item.tooth !== null) teeth.add(item.tooth);
      work.push(item);
    }
  }
  return work;
}

const PROCEDURES_BY_CODE = new Map(DEFAULT_PROCEDURE_LIST.map((entry) => [entry.code, entry]));

/** Local prices: the starter list is in US cents, a Brazilian clinic charges about 1.5 times. */
const FEE_FACTOR: Readonly<Record<DemoCurrency, number>> = { USD: 1, BRL: 1.5 };

export function feeCents(code: CdtCode, currency: DemoCurrency): number {
  const entry = PROCEDURES_BY_CODE.get(code);
  if (!entry) throw new RangeError(`procedure ${code} is not on the demo procedure list`);
  // Whole multiples of 5 currency units, as price lists are written.
  return Math.round((entry.defaultFeeCents * FEE_FACTOR[currency]) / 500) * 500;
}

export function procedureDescription(code: CdtCode, locale: DemoLocale): string {
  const english = PROCEDURES_BY_CODE.get(code)?.description ?? code;
  return locale === 'pt_BR' ? (PROCEDURE_DESCRIPTIONS_PT_BR[code] ?? english) : english;
}
