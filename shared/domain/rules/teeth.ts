// One canonical tooth id for every permanent and primary tooth: its FDI (ISO 3950) two-digit
// number as a string, e.g. "11" upper right central incisor, "85" lower right second primary
// molar. FDI is canonical because it encodes quadrant and position directly (and so every rule
// below is arithmetic) and is the international standard; the Universal system (1-32, primary
// A-T) used in the US is a display notation converted at the edges.
//
// FDI: first digit = quadrant, 1-4 permanent (upper right, upper left, lower left, lower right,
// as seen facing the patient: their right first), 5-8 the same for primary teeth; second digit =
// position from the midline, 1-8 permanent, 1-5 primary.
// Universal: permanent 1 (upper right third molar) round the upper arch to 16, then 17 (lower
// left third molar) round the lower arch to 32; primary A-J upper right to upper left, K-T lower
// left to lower right.

// prettier-ignore
export const ALL_PERMANENT_TEETH = [
  '11', '12', '13', '14', '15', '16', '17', '18',
  '21', '22', '23', '24', '25', '26', '27', '28',
  '31', '32', '33', '34', '35', '36', '37', '38',
  '41', '42', '43', '44', '45', '46', '47', '48',
] as const;
// prettier-ignore
export const ALL_PRIMARY_TEETH = [
  '51', '52', '53', '54', '55',
  '61', '62', '63', '64', '65',
  '71', '72', '73', '74', '75',
  '81', '82', '83', '84', '85',
] as const;

export type PermanentToothId = (typeof ALL_PERMANENT_TEETH)[number];
export type PrimaryToothId = (typeof ALL_PRIMARY_TEETH)[number];
/** The canonical tooth id: the FDI number as a two-digit string. */
export type ToothId = PermanentToothId | PrimaryToothId;

export const ALL_TEETH: readonly ToothId[] = [...ALL_PERMANENT_TEETH, ...ALL_PRIMARY_TEETH];

export const TOOTH_NOTATIONS = ['fdi', 'universal'] as const;
export type ToothNotation = (typeof TOOTH_NOTATIONS)[number];

export const TOOTH_TYPES = ['incisor', 'canine', 'premolar', 'molar'] as const;
export type ToothType = (typeof TOOTH_TYPES)[number];
export type ToothRegion = 'anterior' | 'posterior';
export type Arch = 'upper' | 'lower';
export type Quadrant = 'upper_right' | 'upper_left' | 'lower_left' | 'lower_right';

const TOOTH_ID_SET: ReadonlySet<string> = new Set(ALL_TEETH);

export function isToothId(value: unknown): value is ToothId {
  return typeof value === 'string' && TOOTH_ID_SET.has(value);
}

export class InvalidToothError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidToothError';
  }
}

function assertToothId(id: string): asserts id is ToothId {
  if (!isToothId(id)) {
    throw new InvalidToothError(
      `"${String(id).slice(0, 10)}" is not a tooth id; ids are FDI numbers such as "11" or "85".`,
    );
  }
}

/** FDI quadrant digit 1-8. */
function fdiQuadrant(id: ToothId): number {
  return Number(id[0]);
}
/** Position from the midline: 1-8 permanent, 1-5 primary. */
function fdiPosition(id: ToothId): number {
  return Number(id[1]);
}

export function isPrimary(id: ToothId): boolean {
  assertToothId(id);
  return fdiQuadrant(id) >= 5;
}

const QUADRANTS: readonly Quadrant[] = ['upper_right', 'upper_left', 'lower_left', 'lower_right'];

export function toothQuadrant(id: ToothId): Quadrant {
  assertToothId(id);
  return QUADRANTS[(fdiQuadrant(id) - 1) % 4]!;
}

export function toothArch(id: ToothId): Arch {
  return toothQuadrant(id).startsWith('upper') ? 'upper' : 'lower';
}

/** Incisor, canine, premolar or molar. Primary teeth have no premolars: 4 and 5 are molars. */
export function toothType(id: ToothId): ToothType {
  assertToothId(id);
  const position = fdiPosition(id);
  if (position <= 2) return 'incisor';
  if (position === 3) return 'canine';
  if (position <= 5 && !isPrimary(id)) return 'premolar';
  return 'molar';
}

/** Front (incisors and canines) or back (premolars and molars). */
export function toothRegion(id: ToothId): ToothRegion {
  const type = toothType(id);
  return type === 'incisor' || type === 'canine' ? 'anterior' : 'posterior';
}

export function isAnterior(id: ToothId): boolean {
  return toothRegion(id) === 'anterior';
}

export function isPosterior(id: ToothId): boolean {
  return toothRegion(id) === 'posterior';
}

export function toFdi(id: ToothId): string {
  assertToothId(id);
  return id;
}

const PRIMARY_LETTERS = 'ABCDEFGHIJKLMNOPQRST';

/**
 * Universal numbers run right to left round the upper arch, then left to right round the lower;
 * FDI counts out from the midline in each quadrant. So in quadrants 1 and 3 (5 and 7) Universal
 * falls as the FDI position rises, and in quadrants 2 and 4 (6 and 8) it rises with it.
 * Returns the 0-based index round the mouth: 0-31 permanent, 0-19 primary.
 */
function universalIndex(id: ToothId): number {
  const quadrant = (fdiQuadrant(id) - 1) % 4; // 0 upper right, 1 upper left, 2 lower left, 3 lower right
  const position = fdiPosition(id);
  const perQuadrant = isPrimary(id) ? 5 : 8;
  const countsUp = quadrant === 1 || quadrant === 3;
  return quadrant * perQuadrant + (countsUp ? position - 1 : perQuadrant - position);
}

export function toUniversal(id: ToothId): string {
  assertToothId(id);
  const index = universalIndex(id);
  return isPrimary(id) ? PRIMARY_LETTERS[index]! : String(index + 1);
}

const UNIVERSAL_TO_ID: ReadonlyMap<string, ToothId> = new Map(
  ALL_TEETH.map((id) => [toUniversal(id), id]),
);

const FDI_HELP =
  'use 11-18, 21-28, 31-38 or 41-48 for permanent teeth, or 51-55, 61-65, 71-75 or 81-85 for primary teeth';
const UNIVERSAL_HELP = 'use 1-32 for permanent teeth or A-T for primary teeth';

function shown(input: string): string {
  return input.trim().slice(0, 10);
}

/** Reads an FDI tooth number such as "11" or " 85 ". */
export function fromFdi(input: string): ToothId {
  const text = input.trim();
  if (!isToothId(text)) {
    throw new InvalidToothError(`"${shown(input)}" is not an FDI tooth number; ${FDI_HELP}.`);
  }
  return text;
}

/** Reads a Universal tooth number or letter: "3", "#3", "03", "a" and "A" are all accepted. */
export function fromUniversal(input: string): ToothId {
  const text = input.trim().replace(/^#/, '').toUpperCase();
  const key = /^\d+$/.test(text) ? String(Number(text)) : text;
  const id = UNIVERSAL_TO_ID.get(key);
  if (id === undefined) {
    throw new InvalidToothError(
      `"${shown(input)}" is not a Universal tooth number; ${UNIVERSAL_HELP}.`,
    );
  }
  return id;
}

export function formatTooth(id: ToothId, notation: ToothNotation): string {
  return notation === 'fdi' ? toFdi(id) : toUniversal(id);
}

export function parseTooth(input: string, notation: ToothNotation): ToothId {
  return notation === 'fdi' ? fromFdi(input) : fromUniversal(input);
}
