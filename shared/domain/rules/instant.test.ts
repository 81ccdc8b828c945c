import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertUtcInstant, isUtcInstant } from './instant';

describe('isUtcInstant', () => {
  it.each(['2025-03-14T09:30:00.000Z', '2024-02-29T23:59:59.999Z', '0001-01-01T00:00:00.000Z'])(
    'accepts %s',
    (value) => {
      expect(isUtcInstant(value)).toBe(true);
    },
  );

  it.each([
    '2025-03-14T09:30:00Z',
    '2025-03-14T09:30:00.000+00:00',
    '2025-03-14 09:30:00.000Z',
    '2025-02-29T09:30:00.000Z',
    '2025-13-01T00:00:00.000Z',
    '2025-03-14T24:00:00.000Z',
    '2025-03-14',
    '',
    null,
    1_741_944_600_000,
  ])('rejects %j', (value) => {
    expect(isUtcInstant(value)).toBe(false);
  });

  it('accepts what Date#toISOString writes, and orders like the instants it names', () => {
    const msArb = fc.integer({ min: 0, max: Date.parse('9999-12-31T23:59:59.999Z') });
    fc.assert(
      fc.property(msArb, msArb, (a, b) => {
        const isoA = new Date(a).toISOString();
        const isoB = new Date(b).toISOString();
        expect(isUtcInstant(isoA)).toBe(true);
        expect(isoA < isoB).toBe(a < b);
      }),
    );
  });
});

describe('assertUtcInstant', () => {
  it('names the field and shows the expected form, not the value', () => {
    expect(() => assertUtcInstant('2025-03-14', 'Seated time')).toThrow(
      'Seated time must be a UTC time written as YYYY-MM-DDTHH:mm:ss.sssZ (for example 2025-03-14T09:30:00.000Z).',
    );
    expect(() => assertUtcInstant('2025-03-14T09:30:00.000Z', 'Seated time')).not.toThrow();
  });
});
