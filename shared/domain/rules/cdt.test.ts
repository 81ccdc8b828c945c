import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcedureListEntry } from './cdt';
import {
  DEFAULT_PROCEDURE_LIST,
  InvalidCdtCodeError,
  PROCEDURE_CATEGORIES,
  cdtCategoryOf,
  isCdtCode,
  parseCdtCode,
  validateProcedureList,
} from './cdt';

describe('isCdtCode', () => {
  it.each(['D0120', 'D0000', 'D9999', 'D2391'])('accepts %s', (code) => {
    expect(isCdtCode(code)).toBe(true);
  });

  it.each([
    'd0120',
    ' D0120',
    'D012',
    'D01200',
    'DO120',
    'D-120',
    'E0120',
    '0120',
    '',
    'D０１２０',
  ])('rejects %j', (code) => {
    expect(isCdtCode(code)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isCdtCode(120)).toBe(false);
    expect(isCdtCode(null)).toBe(false);
  });

  it('accepts exactly D and four digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), (n) => {
        expect(isCdtCode(`D${String(n).padStart(4, '0')}`)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(isCdtCode(s)).toBe(/^D[0-9]{4}$/.test(s));
      }),
    );
  });
});

describe('parseCdtCode', () => {
  it('trims and uppercases what a person typed', () => {
    expect(parseCdtCode('  d2391 ')).toBe('D2391');
    expect(parseCdtCode('D0120')).toBe('D0120');
  });

  it.each(['D123', 'X1234', 'D12a4', 'root canal', ''])(
    'rejects %j with a clear error',
    (input) => {
      expect(() => parseCdtCode(input)).toThrow(InvalidCdtCodeError);
      expect(() => parseCdtCode(input)).toThrow(
        `"${input.trim()}" is not a CDT code: expected the letter D followed by four digits, like D0120.`,
      );
    },
  );

  it('quotes at most 20 characters of the input', () => {
    expect(() => parseCdtCode('x'.repeat(500))).toThrow(`"${'x'.repeat(20)}" is not a CDT code`);
  });

  it('returns a canonical code for every accepted input, unchanged when parsed again', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (input) => {
        let code: string;
        try {
          code = parseCdtCode(input);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCdtCodeError);
          return;
        }
        expect(isCdtCode(code)).toBe(true);
        expect(parseCdtCode(code)).toBe(code);
      }),
    );
  });
});

describe('cdtCategoryOf', () => {
  it.each([
    ['D0120', 'diagnostic'],
    ['D0999', 'diagnostic'],
    ['D1110', 'preventive'],
    ['D2391', 'restorative'],
    ['D3330', 'endodontics'],
    ['D4341', 'periodontics'],
    ['D5110', 'removable_prosthodontics'],
    ['D5899', 'removable_prosthodontics'],
    ['D5900', 'maxillofacial_prosthetics'],
    ['D6010', 'implant_services'],
    ['D6199', 'implant_services'],
    ['D6200', 'fixed_prosthodontics'],
    ['D7140', 'oral_surgery'],
    ['D8080', 'orthodontics'],
    ['D9110', 'adjunctive_services'],
  ] as const)('%s is %s', (code, category) => {
    expect(cdtCategoryOf(code)).toBe(category);
  });

  it('rejects a malformed code', () => {
    expect(() => cdtCategoryOf('D12')).toThrow(InvalidCdtCodeError);
  });
});

describe('DEFAULT_PROCEDURE_LIST', () => {
  it('is a valid list of about 25 common procedures', () => {
    expect(() => validateProcedureList(DEFAULT_PROCEDURE_LIST)).not.toThrow();
    expect(DEFAULT_PROCEDURE_LIST.length).toBeGreaterThanOrEqual(25);
    for (const item of DEFAULT_PROCEDURE_LIST) {
      expect(PROCEDURE_CATEGORIES).toContain(item.category);
      expect(item.defaultFeeCents).toBeGreaterThan(0);
    }
  });

  it('includes the everyday procedures', () => {
    const codes = DEFAULT_PROCEDURE_LIST.map((item) => item.code);
    for (const code of ['D0120', 'D1110', 'D2391', 'D0274']) expect(codes).toContain(code);
  });
});

describe('validateProcedureList', () => {
  const exam: ProcedureListEntry = {
    code: 'D0120',
    description: 'Check-up',
    defaultFeeCents: 5_000,
    category: 'diagnostic',
  };

  it.each([
    ['a duplicate code', [exam, exam], 'Procedure D0120 is listed more than once.'],
    ['a code not in stored form', [{ ...exam, code: 'd0120' }], /"d0120" is not a CDT code/],
    [
      'an empty description',
      [{ ...exam, description: '  ' }],
      'Procedure D0120 needs a description.',
    ],
    [
      'a fractional fee',
      [{ ...exam, defaultFeeCents: 50.5 }],
      'The fee of procedure D0120 must be a whole number of cents, 0 or more.',
    ],
    ['a negative fee', [{ ...exam, defaultFeeCents: -1 }], /must be a whole number of cents/],
    [
      'a category that contradicts the code',
      [{ ...exam, category: 'oral_surgery' }],
      'Procedure D0120 belongs to the diagnostic category, not oral_surgery.',
    ],
  ] as const)('rejects %s', (_label, list, message) => {
    expect(() => validateProcedureList(list as readonly ProcedureListEntry[])).toThrow(message);
  });

  it('accepts a free procedure', () => {
    expect(() => validateProcedureList([{ ...exam, defaultFeeCents: 0 }])).not.toThrow();
  });
});
