import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ToothId } from './teeth';
import {
  ALL_PERMANENT_TEETH,
  ALL_PRIMARY_TEETH,
  ALL_TEETH,
  InvalidToothError,
  TOOTH_NOTATIONS,
  formatTooth,
  fromFdi,
  fromUniversal,
  isAnterior,
  isPosterior,
  isPrimary,
  isToothId,
  parseTooth,
  toFdi,
  toUniversal,
  toothArch,
  toothQuadrant,
  toothRegion,
  toothType,
} from './teeth';

const toothArb = fc.constantFrom(...ALL_TEETH);

describe('the tooth lists', () => {
  it('hold 32 permanent and 20 primary teeth, all distinct', () => {
    expect(ALL_PERMANENT_TEETH).toHaveLength(32);
    expect(ALL_PRIMARY_TEETH).toHaveLength(20);
    expect(new Set(ALL_TEETH).size).toBe(52);
    for (const id of ALL_PERMANENT_TEETH) expect(isPrimary(id)).toBe(false);
    for (const id of ALL_PRIMARY_TEETH) expect(isPrimary(id)).toBe(true);
  });

  it('recognise canonical ids only', () => {
    expect(isToothId('11')).toBe(true);
    expect(isToothId('85')).toBe(true);
    for (const bad of ['19', '10', '56', '86', '91', '1', '011', ' 11', 11]) {
      expect(isToothId(bad)).toBe(false);
    }
  });
});

describe('FDI <-> Universal', () => {
  it.each([
    ['18', '1'],
    ['11', '8'],
    ['21', '9'],
    ['28', '16'],
    ['38', '17'],
    ['31', '24'],
    ['41', '25'],
    ['48', '32'],
    ['16', '3'],
    ['36', '19'],
    ['55', 'A'],
    ['51', 'E'],
    ['61', 'F'],
    ['65', 'J'],
    ['75', 'K'],
    ['71', 'O'],
    ['81', 'P'],
    ['85', 'T'],
  ] as const)('FDI %s is Universal %s', (fdi, universal) => {
    expect(toUniversal(fdi)).toBe(universal);
    expect(fromUniversal(universal)).toBe(fdi);
    expect(toFdi(fdi)).toBe(fdi);
  });

  it('round-trips every tooth through both notations', () => {
    fc.assert(
      fc.property(toothArb, fc.constantFrom(...TOOTH_NOTATIONS), (id, notation) => {
        expect(fromUniversal(toUniversal(id))).toBe(id);
        expect(fromFdi(toFdi(id))).toBe(id);
        expect(parseTooth(formatTooth(id, notation), notation)).toBe(id);
      }),
    );
    for (const id of ALL_TEETH) expect(fromUniversal(toUniversal(id))).toBe(id);
  });

  it('is a bijection onto 1-32 and A-T', () => {
    const permanent = ALL_PERMANENT_TEETH.map(toUniversal).sort((a, b) => Number(a) - Number(b));
    expect(permanent).toEqual(Array.from({ length: 32 }, (_, i) => String(i + 1)));
    const primary = ALL_PRIMARY_TEETH.map(toUniversal).sort();
    expect(primary).toEqual([...'ABCDEFGHIJKLMNOPQRST']);
  });

  it('keeps the same side of the mouth in consecutive Universal numbers', () => {
    // Universal 1-8 and 25-32 are the patient's right side; the rest their left.
    for (const id of ALL_PERMANENT_TEETH) {
      const n = Number(toUniversal(id));
      const right = toothQuadrant(id).endsWith('right');
      expect(right).toBe(n <= 8 || n >= 25);
    }
  });
});

describe('parsing', () => {
  it('accepts the usual ways of writing a Universal tooth', () => {
    expect(fromUniversal(' #3 ')).toBe('16');
    expect(fromUniversal('03')).toBe('16');
    expect(fromUniversal('a')).toBe('55');
    expect(parseTooth(' 46 ', 'fdi')).toBe('46');
  });

  it.each([
    ['fdi', '19'],
    ['fdi', '56'],
    ['fdi', '4.6'],
    ['fdi', 'A'],
    ['fdi', ''],
    ['universal', '0'],
    ['universal', '33'],
    ['universal', 'U'],
    ['universal', '3.5'],
    ['universal', '-1'],
    ['universal', ''],
  ] as const)('rejects %s %j', (notation, input) => {
    expect(() => parseTooth(input, notation)).toThrow(InvalidToothError);
  });

  it('explains what to type instead', () => {
    expect(() => fromFdi('99')).toThrow(
      '"99" is not an FDI tooth number; use 11-18, 21-28, 31-38 or 41-48 for permanent teeth, or 51-55, 61-65, 71-75 or 81-85 for primary teeth.',
    );
    expect(() => fromUniversal('Z')).toThrow(
      '"Z" is not a Universal tooth number; use 1-32 for permanent teeth or A-T for primary teeth.',
    );
    expect(() => fromUniversal('a much longer garbage string')).toThrow(/^"a much lon" is not/);
  });

  it('rejects garbage with a clear error, and returns a valid id otherwise', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 4 }),
        fc.constantFrom(...TOOTH_NOTATIONS),
        (s, notation) => {
          let id: ToothId;
          try {
            id = parseTooth(s, notation);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidToothError);
            expect((error as Error).message).toMatch(
              /is not an? (FDI|Universal) tooth number; use /,
            );
            return;
          }
          expect(isToothId(id)).toBe(true);
        },
      ),
    );
  });

  it('refuses to format something that is not a tooth id', () => {
    expect(() => formatTooth('19' as ToothId, 'universal')).toThrow(
      '"19" is not a tooth id; ids are FDI numbers such as "11" or "85".',
    );
  });
});

describe('tooth anatomy', () => {
  it.each([
    ['11', 'incisor', 'anterior', 'upper_right', 'upper'],
    ['22', 'incisor', 'anterior', 'upper_left', 'upper'],
    ['33', 'canine', 'anterior', 'lower_left', 'lower'],
    ['44', 'premolar', 'posterior', 'lower_right', 'lower'],
    ['25', 'premolar', 'posterior', 'upper_left', 'upper'],
    ['16', 'molar', 'posterior', 'upper_right', 'upper'],
    ['38', 'molar', 'posterior', 'lower_left', 'lower'],
    ['51', 'incisor', 'anterior', 'upper_right', 'upper'],
    ['63', 'canine', 'anterior', 'upper_left', 'upper'],
    ['74', 'molar', 'posterior', 'lower_left', 'lower'],
    ['85', 'molar', 'posterior', 'lower_right', 'lower'],
  ] as const)('%s is a %s (%s), %s, %s arch', (id, type, region, quadrant, arch) => {
    expect(toothType(id)).toBe(type);
    expect(toothRegion(id)).toBe(region);
    expect(isAnterior(id)).toBe(region === 'anterior');
    expect(isPosterior(id)).toBe(region === 'posterior');
    expect(toothQuadrant(id)).toBe(quadrant);
    expect(toothArch(id)).toBe(arch);
  });

  it('counts the teeth of each type in a full mouth', () => {
    const count = (ids: readonly ToothId[], type: string) =>
      ids.filter((id) => toothType(id) === type).length;
    expect(
      ['incisor', 'canine', 'premolar', 'molar'].map((t) => count(ALL_PERMANENT_TEETH, t)),
    ).toEqual([8, 4, 8, 12]);
    expect(
      ['incisor', 'canine', 'premolar', 'molar'].map((t) => count(ALL_PRIMARY_TEETH, t)),
    ).toEqual([8, 4, 0, 8]);
  });

  it('gives each quadrant 8 permanent and 5 primary teeth', () => {
    for (const quadrant of ['upper_right', 'upper_left', 'lower_left', 'lower_right']) {
      expect(ALL_PERMANENT_TEETH.filter((id) => toothQuadrant(id) === quadrant)).toHaveLength(8);
      expect(ALL_PRIMARY_TEETH.filter((id) => toothQuadrant(id) === quadrant)).toHaveLength(5);
    }
  });
});
