import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageOn, formatCalendarDate, formatMoney, formatTime, parseMoneyInput } from './format';

describe('money', () => {
  it('formats integer cents exactly in each locale', () => {
    expect(formatMoney(12345, 'BRL', 'pt-BR')).toBe('R$\u00a0123,45');
    expect(formatMoney(12345, 'USD', 'en')).toBe('$123.45');
    expect(formatMoney(-5, 'USD', 'en')).toBe('-$0.05');
  });

  it('reads what people type, with either decimal separator', () => {
    expect(parseMoneyInput('125')).toBe(12500);
    expect(parseMoneyInput('125,5')).toBe(12550);
    expect(parseMoneyInput('125.50')).toBe(12550);
    expect(parseMoneyInput('1.234,56')).toBe(123456);
    expect(parseMoneyInput('1,234.56')).toBe(123456);
    expect(parseMoneyInput('1,234')).toBe(123400);
    expect(parseMoneyInput(' 80 ')).toBe(8000);
  });

  it('refuses what is not an amount', () => {
    for (const bad of ['', 'abc', '12,345,6', '1.2.3', '-5', '10.9999', '1e3', '1,2,3']) {
      expect(parseMoneyInput(bad), bad).toBeNull();
    }
  });

  it('reads back every amount it formats in pt-BR and en', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (cents) => {
        for (const [locale, currency] of [
          ['pt-BR', 'BRL'],
          ['en', 'USD'],
        ] as const) {
          const shown = formatMoney(cents, currency, locale).replace(/[^\d.,]/g, '');
          expect(parseMoneyInput(shown)).toBe(cents);
        }
      }),
    );
  });
});

describe('dates and times', () => {
  it('shows an instant on the clinic clock, not the computer clock', () => {
    expect(formatTime('2025-06-02T13:30:00.000Z', 'America/Sao_Paulo', 'pt-BR')).toBe('10:30');
    expect(formatTime('2025-06-02T13:30:00.000Z', 'America/New_York', 'en')).toBe('9:30 AM');
  });

  it('shows a calendar date without shifting it a day', () => {
    expect(formatCalendarDate('1984-03-21', 'pt-BR')).toBe('21 de mar. de 1984');
    expect(formatCalendarDate('1984-03-21', 'en')).toBe('Mar 21, 1984');
  });

  it('counts whole years of age', () => {
    expect(ageOn('1984-03-21', '2025-03-20')).toBe(40);
    expect(ageOn('1984-03-21', '2025-03-21')).toBe(41);
  });
});
