import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidSurfaceError,
  SURFACE_LETTERS,
  SURFACE_NAMES,
  allowedSurfaces,
  countSurfaces,
  normalizeSurfaces,
} from './surfaces';
import type { ToothId } from './teeth';
import { ALL_TEETH, isAnterior, toothArch } from './teeth';

const toothArb = fc.constantFrom(...ALL_TEETH);

/** Letters valid on this tooth, with aliases, in any case, and separators. */
function typedSurfacesArb(tooth: ToothId): fc.Arbitrary<string> {
  const letters = [
    'M', 'D', 'L', 'B', 'F', 'V', '5', 'm', 'd', 'l', 'b', 'f', 'v', ' ', ',',
    ...(isAnterior(tooth) ? ['I', 'i'] : ['O', 'o']),
    ...(toothArch(tooth) === 'upper' ? ['P', 'p'] : []),
  ]; // prettier-ignore
  return fc.array(fc.constantFrom(...letters), { maxLength: 12 }).map((chars) => chars.join(''));
}

const toothAndInputArb = toothArb.chain((tooth) =>
  fc.tuple(fc.constant(tooth), typedSurfacesArb(tooth)),
);

describe('normalizeSurfaces', () => {
  it.each([
    ['36', 'DOM', 'MOD'],
    ['36', 'mod', 'MOD'],
    ['36', 'L B D O M', 'MODBL'],
    ['36', 'O,O,o', 'O'],
    ['36', 'F', 'B'], // facial on a back tooth is its buccal
    ['36', 'V', 'B'],
    ['36', '5', 'B'],
    ['36', 'BV5F', 'B'],
    ['11', 'B', 'F'], // buccal on a front tooth is its facial
    ['11', 'MIV', 'MIF'],
    ['13', 'DLIM', 'MIDL'],
    ['14', 'MO', 'MO'], // premolars are back teeth
    ['16', 'P', 'L'], // palatal on an upper tooth
    ['53', 'I', 'I'], // primary canine
    ['84', 'OB', 'OB'], // primary molar
    ['46', '', ''],
    ['46', ' , ', ''],
  ] as const)('on tooth %s, %j -> %j', (tooth, input, expected) => {
    expect(normalizeSurfaces(tooth, input)).toBe(expected);
  });

  it('explains O on a front tooth and I on a back tooth', () => {
    expect(() => normalizeSurfaces('11', 'MO')).toThrow(
      'O (occlusal) is for back teeth; use I (incisal) on front teeth (this tooth is an incisor).',
    );
    expect(() => normalizeSurfaces('53', 'o')).toThrow(
      'O (occlusal) is for back teeth; use I (incisal) on front teeth (this tooth is a primary canine).',
    );
    expect(() => normalizeSurfaces('46', 'I')).toThrow(
      'I (incisal) is for front teeth; use O (occlusal) on back teeth (this tooth is a molar).',
    );
    expect(() => normalizeSurfaces('46', 'P')).toThrow(
      'P (palatal) is for upper teeth; use L (lingual) on lower teeth (this tooth is a molar).',
    );
  });

  it('names an unknown letter and what to use instead', () => {
    expect(() => normalizeSurfaces('24', 'MXD')).toThrow(
      '"X" is not a tooth surface; use M, O, D, B, L (this tooth is a premolar).',
    );
    expect(() => normalizeSurfaces('42', 'M-D')).toThrow(
      '"-" is not a tooth surface; use M, I, D, F, L (this tooth is an incisor).',
    );
    expect(() => normalizeSurfaces('42', 'M-D')).toThrow(InvalidSurfaceError);
    expect(() => normalizeSurfaces('46', 'ı')).toThrow('"ı" is not a tooth surface');
  });

  it('rejects an invalid tooth id', () => {
    expect(() => normalizeSurfaces('19' as ToothId, 'M')).toThrow(/"19" is not a tooth id/);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(toothAndInputArb, ([tooth, input]) => {
        const once = normalizeSurfaces(tooth, input);
        expect(normalizeSurfaces(tooth, once)).toBe(once);
      }),
    );
  });

  it('does not depend on the order or repetition of letters', () => {
    fc.assert(
      fc.property(
        toothAndInputArb.chain(([tooth, input]) =>
          fc.tuple(
            fc.constant(tooth),
            fc.constant(input),
            fc.shuffledSubarray([...input, ...input], {
              minLength: input.length * 2,
              maxLength: input.length * 2,
            }),
          ),
        ),
        ([tooth, input, shuffled]) => {
          expect(normalizeSurfaces(tooth, shuffled.join(''))).toBe(normalizeSurfaces(tooth, input));
        },
      ),
    );
  });

  it('returns only the tooth’s own letters, once each, in canonical order', () => {
    fc.assert(
      fc.property(toothAndInputArb, ([tooth, input]) => {
        const result = normalizeSurfaces(tooth, input);
        const allowed = allowedSurfaces(tooth);
        const letters = [...result];
        expect(new Set(letters).size).toBe(letters.length);
        for (const letter of letters) expect(allowed).toContain(letter);
        const positions = letters.map((letter) =>
          (SURFACE_LETTERS as readonly string[]).indexOf(letter),
        );
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(countSurfaces(tooth, input)).toBe(result.length);
        expect(result.length).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('rejects any character that is not a surface letter', () => {
    fc.assert(
      fc.property(
        toothArb,
        fc
          .integer({ min: 0, max: 0x10ffff })
          .map((codePoint) => String.fromCodePoint(codePoint))
          .filter((c) => !/^[MODBLIFVP5\s,]$/i.test(c)),
        (tooth, bad) => {
          expect(() => normalizeSurfaces(tooth, `M${bad}`)).toThrow(InvalidSurfaceError);
        },
      ),
    );
  });
});

describe('allowedSurfaces', () => {
  it('gives every tooth five surfaces, with the biting and vestibular letters by region', () => {
    for (const tooth of ALL_TEETH) {
      const surfaces = allowedSurfaces(tooth);
      expect(surfaces).toHaveLength(5);
      expect(surfaces).toEqual(
        isAnterior(tooth) ? ['M', 'I', 'D', 'F', 'L'] : ['M', 'O', 'D', 'B', 'L'],
      );
      expect(normalizeSurfaces(tooth, surfaces.join(''))).toBe(surfaces.join(''));
    }
  });

  it('has a name for every letter', () => {
    for (const letter of SURFACE_LETTERS) expect(SURFACE_NAMES[letter]).toMatch(/^[a-z]+$/);
  });
});
