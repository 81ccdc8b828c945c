import { describe, expect, it } from 'vitest';
import { derivePatientSearchFields, normalizeNameForSearch } from './patients';

describe('patient search fields', () => {
  it('derives "last first" without accents or case, and the primary phone digits', () => {
    expect(
      derivePatientSearchFields({
        firstName: 'José  Luís',
        lastName: "O'Brien-Gonçalves",
        phones: [
          { kind: 'mobile', number: '+55 (11) 91234-5678' },
          { kind: 'home', number: '555 0100' },
        ],
      }),
    ).toEqual({ nameKey: 'obrien goncalves jose luis', phoneKey: '5511912345678' });
  });

  it('gives an empty phone key to a patient without phones', () => {
    const fields = derivePatientSearchFields({ firstName: 'A', lastName: 'B', phones: [] });
    expect(fields.phoneKey).toBe('');
  });

  it('normalizes a typed search the same way, so a prefix finds the stored key', () => {
    const { nameKey } = derivePatientSearchFields({
      firstName: 'Zoë',
      lastName: 'Ødegård',
      phones: [],
    });
    expect(nameKey).toBe('odegard zoe');
    expect(nameKey.startsWith(normalizeNameForSearch('ODEGA'))).toBe(true);
    expect(normalizeNameForSearch('Straße İlker')).toBe('strasse ilker');
  });
});
