// ADA CDT procedure codes: the letter D followed by exactly four digits. Only the code format and
// the category ranges live here. The official descriptors are ADA copyright, so the list of
// procedures a clinic offers, with its own wording and fees, is clinic data: DEFAULT_PROCEDURE_LIST
// below is a replaceable starter list written in our own plain words, not the official text.

/** A CDT code such as "D0120". The template type only documents intent; use parseCdtCode to check. */
export type CdtCode = `D${string}`;

const CDT_CODE_PATTERN = /^D\d{4}$/;

/** Exactly "D" and four digits, as stored; no trimming or case folding (see parseCdtCode). */
export function isCdtCode(value: unknown): value is CdtCode {
  return typeof value === 'string' && CDT_CODE_PATTERN.test(value);
}

export class InvalidCdtCodeError extends Error {
  constructor(input: string) {
    const shown = input.trim().slice(0, 20);
    super(
      `"${shown}" is not a CDT code: expected the letter D followed by four digits, like D0120.`,
    );
    this.name = 'InvalidCdtCodeError';
  }
}

/** Reads a code as typed by a person: trims and uppercases ("  d0120 " -> "D0120"). */
export function parseCdtCode(input: string): CdtCode {
  const code = input.trim().toUpperCase();
  if (!isCdtCode(code)) throw new InvalidCdtCodeError(input);
  return code;
}

/** The CDT categories, each a fixed range of code numbers. */
export const PROCEDURE_CATEGORIES = [
  'diagnostic',
  'preventive',
  'restorative',
  'endodontics',
  'periodontics',
  'removable_prosthodontics',
  'maxillofacial_prosthetics',
  'implant_services',
  'fixed_prosthodontics',
  'oral_surgery',
  'orthodontics',
  'adjunctive_services',
] as const;
export type ProcedureCategory = (typeof PROCEDURE_CATEGORIES)[number];

/** First code number of each category, ascending; a category runs up to the next one's start. */
const CATEGORY_STARTS: readonly (readonly [number, ProcedureCategory])[] = [
  [0, 'diagnostic'],
  [1000, 'preventive'],
  [2000, 'restorative'],
  [3000, 'endodontics'],
  [4000, 'periodontics'],
  [5000, 'removable_prosthodontics'],
  [5900, 'maxillofacial_prosthetics'],
  [6000, 'implant_services'],
  [6200, 'fixed_prosthodontics'],
  [7000, 'oral_surgery'],
  [8000, 'orthodontics'],
  [9000, 'adjunctive_services'],
];

/** The category a code belongs to, from its number range (D2391 -> restorative). */
export function cdtCategoryOf(code: CdtCode): ProcedureCategory {
  const parsed = parseCdtCode(code);
  const number = Number(parsed.slice(1));
  let category: ProcedureCategory = 'diagnostic';
  for (const [start, name] of CATEGORY_STARTS) if (number >= start) category = name;
  return category;
}

/** One procedure a clinic offers. Fees are integer cents in the clinic's billing currency. */
export interface ProcedureListEntry {
  code: CdtCode;
  description: string;
  defaultFeeCents: number;
  category: ProcedureCategory;
}

function entry(code: CdtCode, description: string, defaultFeeCents: number): ProcedureListEntry {
  return { code, description, defaultFeeCents, category: cdtCategoryOf(code) };
}

/**
 * A starter list of common procedures with our own short descriptions and placeholder fees
 * (USD cents). Replaceable: a clinic edits or replaces it with its own list and prices.
 */
export const DEFAULT_PROCEDURE_LIST: readonly ProcedureListEntry[] = [
  entry('D0120', 'Periodic exam', 6_500),
  entry('D0140', 'Limited exam, one problem', 8_500),
  entry('D0150', 'Comprehensive exam, new or returning patient', 11_000),
  entry('D0210', 'Full-mouth X-ray series', 14_000),
  entry('D0220', 'Single root X-ray, first image', 3_500),
  entry('D0230', 'Single root X-ray, each extra image', 2_500),
  entry('D0274', 'Bite X-rays, four images', 7_000),
  entry('D0330', 'Panoramic X-ray', 12_000),
  entry('D1110', 'Adult cleaning', 11_000),
  entry('D1120', 'Child cleaning', 8_000),
  entry('D1206', 'Fluoride varnish', 4_000),
  entry('D1351', 'Sealant, per tooth', 5_500),
  entry('D2140', 'Silver filling, one surface', 15_000),
  entry('D2150', 'Silver filling, two surfaces', 19_000),
  entry('D2330', 'Resin filling, one surface, front tooth', 16_000),
  entry('D2331', 'Resin filling, two surfaces, front tooth', 20_000),
  entry('D2391', 'Resin filling, one surface, back tooth', 18_000),
  entry('D2392', 'Resin filling, two surfaces, back tooth', 23_000),
  entry('D2740', 'All-ceramic crown', 135_000),
  entry('D2950', 'Core build-up under a crown', 28_000),
  entry('D3310', 'Root canal, front tooth', 95_000),
  entry('D3330', 'Root canal, molar', 130_000),
  entry('D4341', 'Deep cleaning, four or more teeth in a quadrant', 27_000),
  entry('D4910', 'Gum maintenance cleaning', 15_000),
  entry('D6010', 'Implant post placed in the bone', 225_000),
  entry('D7140', 'Tooth removal, simple', 20_000),
  entry('D7210', 'Tooth removal, surgical', 35_000),
  entry('D9110', 'Emergency relief of tooth pain', 12_000),
];

/**
 * Checks a clinic's procedure list before it is saved or imported: valid codes listed once,
 * a description, a non-negative whole fee and the category matching the code range.
 */
export function validateProcedureList(list: readonly ProcedureListEntry[]): void {
  const seen = new Set<string>();
  for (const item of list) {
    // Stored codes must already be in canonical form; parseCdtCode is for what people type.
    if (!isCdtCode(item.code)) throw new InvalidCdtCodeError(item.code);
    const code = item.code;
    if (seen.has(code)) throw new Error(`Procedure ${code} is listed more than once.`);
    seen.add(code);
    if (item.description.trim() === '') throw new Error(`Procedure ${code} needs a description.`);
    if (!Number.isSafeInteger(item.defaultFeeCents) || item.defaultFeeCents < 0) {
      throw new Error(`The fee of procedure ${code} must be a whole number of cents, 0 or more.`);
    }
    const expected = cdtCategoryOf(code);
    if (item.category !== expected) {
      throw new Error(
        `Procedure ${code} belongs to the ${expected} category, not ${item.category}.`,
      );
    }
  }
}
