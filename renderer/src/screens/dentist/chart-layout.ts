// The tooth chart's layout and state as pure functions, so they are unit tested without a
// browser: which tooth sits where (as the dentist sees the patient: the patient's right on the
// viewer's left), where each surface is drawn, and what status each surface and tooth shows.
import type { ProcedureStatus } from '../../../../shared/domain/enums';
import { allowedSurfaces, type SurfaceLetter } from '../../../../shared/domain/rules/surfaces';
import {
  isToothId,
  toothArch,
  toothQuadrant,
  type ToothId,
} from '../../../../shared/domain/rules/teeth';
import type { Procedure } from '../../../../shared/domain/schemas/index';

export type Dentition = 'permanent' | 'primary';

export interface ArchRow {
  /** Viewer's left half: the patient's right quadrant, from the back tooth to the midline. */
  readonly right: readonly ToothId[];
  /** Viewer's right half: the patient's left quadrant, from the midline to the back tooth. */
  readonly left: readonly ToothId[];
}

function quadrant(first: number, count: number, towardMidline: boolean): ToothId[] {
  const positions = Array.from({ length: count }, (_, index) => index + 1);
  const ordered = towardMidline ? positions.reverse() : positions;
  return ordered.map((position) => `${first}${position}` as ToothId);
}

/** The standard chart rows: upper 18→11 | 21→28, lower 48→41 | 31→38 (primary 55→51 | 61→65...). */
export function archRows(dentition: Dentition): { upper: ArchRow; lower: ArchRow } {
  const count = dentition === 'permanent' ? 8 : 5;
  const base = dentition === 'permanent' ? 0 : 4;
  return {
    upper: { right: quadrant(base + 1, count, true), left: quadrant(base + 2, count, false) },
    lower: { right: quadrant(base + 4, count, true), left: quadrant(base + 3, count, false) },
  };
}

/** Where each surface of a tooth is drawn in its five-part diagram. */
export interface SurfacePlaces {
  readonly top: SurfaceLetter;
  readonly bottom: SurfaceLetter;
  readonly left: SurfaceLetter;
  readonly right: SurfaceLetter;
  readonly centre: SurfaceLetter;
}

/**
 * The cheek/lip side faces out of the mouth (up for upper teeth, down for lower), the tongue side
 * in; mesial faces the midline, so it is on the right on the viewer's left half and vice versa.
 */
export function surfacePlaces(tooth: ToothId): SurfacePlaces {
  const [mesial, biting, distal, outer, lingual] = allowedSurfaces(tooth) as [
    SurfaceLetter,
    SurfaceLetter,
    SurfaceLetter,
    SurfaceLetter,
    SurfaceLetter,
  ];
  const upper = toothArch(tooth) === 'upper';
  const onViewersLeft = toothQuadrant(tooth).endsWith('right');
  return {
    top: upper ? outer : lingual,
    bottom: upper ? lingual : outer,
    left: onViewersLeft ? distal : mesial,
    right: onViewersLeft ? mesial : distal,
    centre: biting,
  };
}

/** Which status wins when several procedures touch one surface: what still needs doing first. */
export const STATUS_PRECEDENCE: readonly ProcedureStatus[] = [
  'planned',
  'referred',
  'completed',
  'existing',
];

function stronger(a: ProcedureStatus | undefined, b: ProcedureStatus): ProcedureStatus {
  if (a === undefined) return b;
  return STATUS_PRECEDENCE.indexOf(b) < STATUS_PRECEDENCE.indexOf(a) ? b : a;
}

export interface ToothState {
  readonly procedures: readonly Procedure[];
  /** The status shown on each surface that has a procedure. */
  readonly surfaces: Readonly<Partial<Record<SurfaceLetter, ProcedureStatus>>>;
  /** Statuses of procedures on the whole tooth (no surfaces: crowns, root canals...), in precedence order. */
  readonly whole: readonly ProcedureStatus[];
  /** A removal was done or found (drawn crossed out). */
  readonly removed: boolean;
}

/** Tooth removals (simple and surgical extractions, D7111-D7250). */
export function isRemoval(code: string): boolean {
  const number = Number(code.slice(1));
  return number >= 7111 && number <= 7250;
}

export function toothState(procedures: readonly Procedure[]): ToothState {
  const surfaces: Partial<Record<SurfaceLetter, ProcedureStatus>> = {};
  const whole = new Set<ProcedureStatus>();
  let removed = false;
  for (const procedure of procedures) {
    if (procedure.surfaces === '') whole.add(procedure.status);
    for (const letter of procedure.surfaces as Iterable<SurfaceLetter>) {
      surfaces[letter] = stronger(surfaces[letter], procedure.status);
    }
    if (
      isRemoval(procedure.cdtCode) &&
      (procedure.status === 'completed' || procedure.status === 'existing')
    ) {
      removed = true;
    }
  }
  return {
    procedures,
    surfaces,
    whole: STATUS_PRECEDENCE.filter((status) => whole.has(status)),
    removed,
  };
}

/** The procedures of each tooth; whole-mouth ones (tooth null) under the key `null`. */
export function proceduresByTooth(
  procedures: readonly Procedure[],
): Map<ToothId | null, Procedure[]> {
  const byTooth = new Map<ToothId | null, Procedure[]>();
  for (const procedure of procedures) {
    const key = isToothId(procedure.tooth) ? procedure.tooth : null;
    const list = byTooth.get(key) ?? [];
    list.push(procedure);
    byTooth.set(key, list);
  }
  return byTooth;
}

/** Newest first, then by code, so the table reads the same on every workstation. */
export function sortProcedures(procedures: readonly Procedure[]): Procedure[] {
  return [...procedures].sort(
    (a, b) => b.date.localeCompare(a.date) || a.cdtCode.localeCompare(b.cdtCode),
  );
}

/** Toggles one surface letter and returns the canonical string (charting order M O/I D B/F L). */
export function toggleSurface(tooth: ToothId, current: string, letter: SurfaceLetter): string {
  const present = new Set(current);
  if (present.has(letter)) present.delete(letter);
  else present.add(letter);
  return allowedSurfaces(tooth)
    .filter((allowed) => present.has(allowed))
    .join('');
}
