// Tooth surfaces, written as letters. Each tooth has five surfaces, one letter each:
//   M mesial, D distal, L lingual           on every tooth
//   O occlusal (biting surface)             back teeth only  -- front teeth have I
//   I incisal (biting edge)                 front teeth only -- back teeth have O
//   B buccal (cheek side)                   back teeth        } the same vestibular side;
//   F facial (lip side)                     front teeth       } the other is accepted and normalised
//
// Accepted aliases, normalised to the tooth's own letter:
//   V vestibular, the side facing the lips/cheeks (as charted in Brazil and most of Europe), and
//   5 ("class five", a cervical lesion, as some US software writes it): both become B on back
//   teeth and F on front teeth. A cervical (class V) lesion sits on that same surface; being
//   cervical is a property of the lesion and the procedure, not a sixth surface, and keeping one
//   letter per surface means the number of letters is the surface count restorations bill by.
//   P palatal (the lingual side of upper teeth) becomes L on upper teeth; lower teeth have no palate.
// O on a front tooth or I on a back tooth is an error, not an alias: it usually means the wrong
// tooth was picked. Input is case-insensitive; spaces and commas are ignored; repeats collapse.
// The canonical form lists letters in the usual charting order M, O/I, D, B/F, L ("MODBL").

import type { ToothId, ToothType } from './teeth';
import { isPrimary, toothArch, toothRegion, toothType } from './teeth';

export const SURFACE_LETTERS = ['M', 'O', 'I', 'D', 'B', 'F', 'L'] as const;
export type SurfaceLetter = (typeof SURFACE_LETTERS)[number];

export const SURFACE_NAMES: Readonly<Record<SurfaceLetter, string>> = {
  M: 'mesial',
  O: 'occlusal',
  I: 'incisal',
  D: 'distal',
  B: 'buccal',
  F: 'facial',
  L: 'lingual',
};

export class InvalidSurfaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSurfaceError';
  }
}

/** The five surface letters of this tooth, in canonical order. */
export function allowedSurfaces(tooth: ToothId): readonly SurfaceLetter[] {
  return toothRegion(tooth) === 'anterior' ? ['M', 'I', 'D', 'F', 'L'] : ['M', 'O', 'D', 'B', 'L'];
}

/** "this tooth is a primary molar", "this tooth is an incisor": for error messages. */
function describeTooth(tooth: ToothId): string {
  const type: ToothType = toothType(tooth);
  if (isPrimary(tooth)) return `this tooth is a primary ${type}`;
  return `this tooth is ${type === 'incisor' ? 'an' : 'a'} ${type}`;
}

function resolveLetter(tooth: ToothId, typed: string): SurfaceLetter {
  const anterior = toothRegion(tooth) === 'anterior';
  const kind = describeTooth(tooth);
  switch (typed) {
    case 'M':
    case 'D':
    case 'L':
      return typed;
    case 'O':
      if (anterior) {
        throw new InvalidSurfaceError(
          `O (occlusal) is for back teeth; use I (incisal) on front teeth (${kind}).`,
        );
      }
      return 'O';
    case 'I':
      if (!anterior) {
        throw new InvalidSurfaceError(
          `I (incisal) is for front teeth; use O (occlusal) on back teeth (${kind}).`,
        );
      }
      return 'I';
    case 'B':
    case 'F':
    case 'V':
    case '5':
      return anterior ? 'F' : 'B';
    case 'P':
      if (toothArch(tooth) === 'lower') {
        throw new InvalidSurfaceError(
          `P (palatal) is for upper teeth; use L (lingual) on lower teeth (${kind}).`,
        );
      }
      return 'L';
    default:
      throw new InvalidSurfaceError(
        `"${typed}" is not a tooth surface; use ${allowedSurfaces(tooth).join(', ')} (${kind}).`,
      );
  }
}

/**
 * The canonical surface string for `input` on `tooth`: aliases resolved, duplicates removed,
 * letters in the order M, O/I, D, B/F, L. "" means no surface (e.g. an extraction). Throws
 * InvalidSurfaceError naming the bad letter and the kind of tooth.
 */
export function normalizeSurfaces(tooth: ToothId, input: string): string {
  const present = new Set<SurfaceLetter>();
  for (const character of input) {
    if (/[\s,]/.test(character)) continue;
    // Only ASCII letters fold case: "ı".toUpperCase() is "I", and that is not what was typed.
    present.add(
      resolveLetter(tooth, /[a-z]/.test(character) ? character.toUpperCase() : character),
    );
  }
  return SURFACE_LETTERS.filter((letter) => present.has(letter)).join('');
}

/** How many distinct surfaces `input` names on `tooth`: what surface-based fees count. */
export function countSurfaces(tooth: ToothId, input: string): number {
  return normalizeSurfaces(tooth, input).length;
}
