import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Currency } from '../enums';
import type { LedgerEntryInput } from './ledger';
import {
  LedgerError,
  accountBalance,
  balanceEffect,
  formatMoney,
  isCurrency,
  ledgerTotals,
  ledgerTotalsByCurrency,
} from './ledger';

function charge(id: string, amountCents: number, currency = 'USD'): LedgerEntryInput {
  return { id, kind: 'charge', amountCents, currency };
}
function payment(id: string, amountCents: number, currency = 'USD'): LedgerEntryInput {
  return { id, kind: 'payment', amountCents, currency };
}
function adjustment(
  id: string,
  amountCents: number,
  adjustmentDirection: 'credit' | 'debit',
): LedgerEntryInput {
  return { id, kind: 'adjustment', amountCents, currency: 'USD', adjustmentDirection };
}
function reversalOf(entry: LedgerEntryInput, id = `rev-${entry.id}`): LedgerEntryInput {
  return { ...entry, id, reversesEntryId: entry.id };
}

let nextId = 0;
/** Large amounts on purpose: float drift would show there first. */
const plainEntryArb = (currency: Currency): fc.Arbitrary<LedgerEntryInput> =>
  fc
    .record({
      kind: fc.constantFrom('charge', 'payment', 'adjustment'),
      amountCents: fc.oneof(
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
      ),
      direction: fc.constantFrom('credit', 'debit'),
    })
    .map(({ kind, amountCents, direction }) => ({
      id: `e${nextId++}`,
      kind,
      amountCents,
      currency,
      ...(kind === 'adjustment' ? { adjustmentDirection: direction } : {}),
    }));

/** A valid ledger: plain entries plus reversals of some of them, in a shuffled order. */
const ledgerArb = (currency: Currency = 'USD'): fc.Arbitrary<LedgerEntryInput[]> =>
  fc.array(fc.tuple(plainEntryArb(currency), fc.boolean()), { maxLength: 30 }).chain((rows) => {
    const entries = rows.flatMap(([entry, reversed]) =>
      reversed ? [entry, reversalOf(entry)] : [entry],
    );
    return fc.shuffledSubarray(entries, {
      minLength: entries.length,
      maxLength: entries.length,
    });
  });

describe('accountBalance', () => {
  it('adds charges and debits, subtracts payments and credits', () => {
    const entries = [
      charge('c1', 12_000),
      charge('c2', 8_050),
      payment('p1', 5_000),
      adjustment('a1', 1_000, 'credit'),
      adjustment('a2', 2_500, 'debit'),
    ];
    expect(accountBalance(entries, 'USD')).toBe(12_000 + 8_050 - 5_000 - 1_000 + 2_500);
    expect(accountBalance([], 'USD')).toBe(0);
    expect(accountBalance([payment('p', 700)], 'USD')).toBe(-700);
  });

  it('cancels an entry with its reversal', () => {
    const c1 = charge('c1', 12_000);
    const p1 = payment('p1', 5_000);
    expect(accountBalance([c1, p1, reversalOf(p1)], 'USD')).toBe(12_000);
    expect(accountBalance([reversalOf(c1)], 'USD')).toBe(-12_000); // original on another page
  });

  it('reports totals per kind, net of reversals', () => {
    const c1 = charge('c1', 12_000);
    const a1 = adjustment('a1', 300, 'credit');
    expect(
      ledgerTotals(
        [
          c1,
          charge('c2', 500),
          reversalOf(c1),
          payment('p1', 200),
          a1,
          adjustment('a2', 40, 'debit'),
        ],
        'USD',
      ),
    ).toEqual({
      currency: 'USD',
      chargesCents: 500,
      paymentsCents: 200,
      debitAdjustmentsCents: 40,
      creditAdjustmentsCents: 300,
      balanceCents: 500 - 200 + 40 - 300,
    });
  });

  it('refuses entries in another currency than the one asked for', () => {
    expect(() => accountBalance([charge('c1', 100), charge('c2', 100, 'BRL')], 'USD')).toThrow(
      'Ledger entry c2 is in BRL, not USD; balances are kept per currency and never mixed.',
    );
  });

  it.each([
    ['a zero amount', charge('x', 0), /positive whole number of cents/],
    ['a negative amount', payment('x', -500), /positive whole number of cents/],
    ['a fractional amount', charge('x', 10.5), /positive whole number of cents/],
    ['an unsafe integer', charge('x', 2 ** 53), /positive whole number of cents/],
    ['an unknown currency', charge('x', 100, 'XYZ'), /Unsupported currency "XYZ"/],
    [
      'an adjustment without a direction',
      { id: 'x', kind: 'adjustment', amountCents: 5, currency: 'USD' },
      'Adjustment x must say whether it is a credit or a debit.',
    ],
    [
      'a charge with a direction',
      { ...charge('x', 5), adjustmentDirection: 'credit' },
      'Only adjustments have a credit/debit direction; x is a charge.',
    ],
    ['a self-reversal', { ...charge('x', 5), reversesEntryId: 'x' }, /cannot reverse itself/],
  ] as const)('rejects %s', (_label, entry, message) => {
    expect(() => accountBalance([entry as LedgerEntryInput], 'USD')).toThrow(message);
    expect(() => accountBalance([entry as LedgerEntryInput], 'USD')).toThrow(LedgerError);
  });

  it('rejects reversals that do not mirror their original', () => {
    const c1 = charge('c1', 1_000);
    expect(() => accountBalance([c1, { ...reversalOf(c1), amountCents: 900 }], 'USD')).toThrow(
      'Reversal rev-c1 must have the same kind, amount, currency and direction as entry c1.',
    );
    expect(() => accountBalance([c1, { ...reversalOf(c1), kind: 'payment' }], 'USD')).toThrow(
      /same kind, amount/,
    );
    const a1 = adjustment('a1', 50, 'credit');
    expect(() =>
      accountBalance([a1, { ...reversalOf(a1), adjustmentDirection: 'debit' }], 'USD'),
    ).toThrow(/same kind, amount, currency and direction/);
  });

  it('rejects double reversals and reversals of reversals', () => {
    const c1 = charge('c1', 1_000);
    const r1 = reversalOf(c1);
    expect(() => accountBalance([c1, r1, reversalOf(c1, 'r2')], 'USD')).toThrow(
      'Ledger entry c1 is reversed more than once.',
    );
    expect(() => accountBalance([c1, r1, reversalOf(r1, 'r2')], 'USD')).toThrow(
      'Entry r2 reverses rev-c1, which is itself a reversal; post a new entry instead.',
    );
  });

  it('is additive over concatenation', () => {
    fc.assert(
      fc.property(ledgerArb(), fc.nat(), (entries, cut) => {
        const at = entries.length === 0 ? 0 : cut % (entries.length + 1);
        const before = entries.slice(0, at);
        const after = entries.slice(at);
        expect(accountBalance(entries, 'USD')).toBe(
          accountBalance(before, 'USD') + accountBalance(after, 'USD'),
        );
      }),
    );
  });

  it('comes to zero when every entry is reversed', () => {
    fc.assert(
      fc.property(fc.array(plainEntryArb('BRL'), { maxLength: 30 }), (entries) => {
        const all = [...entries, ...entries.map((entry) => reversalOf(entry))];
        expect(accountBalance(all, 'BRL')).toBe(0);
        const totals = ledgerTotals(all, 'BRL');
        expect(totals.chargesCents + totals.paymentsCents).toBe(0);
        expect(totals.debitAdjustmentsCents + totals.creditAdjustmentsCents).toBe(0);
      }),
    );
  });

  it('stays an exact integer, equal to the BigInt sum', () => {
    fc.assert(
      fc.property(ledgerArb(), (entries) => {
        const balance = accountBalance(entries, 'USD');
        expect(Number.isSafeInteger(balance)).toBe(true);
        const exact = entries.reduce((sum, entry) => sum + BigInt(balanceEffect(entry)), 0n);
        expect(BigInt(balance)).toBe(exact);
      }),
    );
  });

  it('refuses a total too large to be exact instead of rounding it', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(() => accountBalance([charge('a', big), charge('b', big)], 'USD')).toThrow(
      'Ledger total is too large to compute exactly.',
    );
  });
});

describe('ledgerTotalsByCurrency', () => {
  it('totals each currency separately, in the fixed currency order', () => {
    const totals = ledgerTotalsByCurrency([
      charge('c1', 10_000, 'BRL'),
      charge('c2', 2_000, 'USD'),
      payment('p1', 4_000, 'BRL'),
    ]);
    expect(totals.map((t) => [t.currency, t.balanceCents])).toEqual([
      ['USD', 2_000],
      ['BRL', 6_000],
    ]);
    expect(ledgerTotalsByCurrency([])).toEqual([]);
  });

  it('rejects a reversal in another currency than its original', () => {
    const c1 = charge('c1', 1_000, 'USD');
    expect(() => ledgerTotalsByCurrency([c1, { ...reversalOf(c1), currency: 'EUR' }])).toThrow(
      /same kind, amount, currency/,
    );
  });

  it('matches accountBalance for each currency of a mixed ledger', () => {
    fc.assert(
      fc.property(ledgerArb('USD'), ledgerArb('EUR'), (usd, eur) => {
        const totals = ledgerTotalsByCurrency([...eur, ...usd]);
        const byCurrency = Object.fromEntries(totals.map((t) => [t.currency, t.balanceCents]));
        if (usd.length > 0) expect(byCurrency.USD).toBe(accountBalance(usd, 'USD'));
        if (eur.length > 0) expect(byCurrency.EUR).toBe(accountBalance(eur, 'EUR'));
      }),
    );
  });
});

describe('formatMoney', () => {
  const NBSP = '\u00a0';
  it.each([
    [123_456, 'USD', 'en-US', '$1,234.56'],
    [-123_456, 'USD', 'en-US', '-$1,234.56'],
    [5, 'USD', 'en-US', '$0.05'],
    [0, 'USD', 'en-US', '$0.00'],
    [123_456, 'BRL', 'pt-BR', `R$${NBSP}1.234,56`],
    [-5, 'BRL', 'pt-BR', `-R$${NBSP}0,05`],
    [100_000_000, 'BRL', 'pt-BR', `R$${NBSP}1.000.000,00`],
    [123_456, 'BRL', 'en-US', 'R$1,234.56'],
    [123_456, 'USD', 'pt-BR', `US$${NBSP}1.234,56`],
  ] as const)('%d %s in %s -> %s', (cents, currency, locale, expected) => {
    expect(formatMoney(cents, currency, locale)).toBe(expected);
  });

  it('formats the largest exact amounts without float rounding', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(900_719_925_474_099, 'USD', 'en-US')).toBe('$9,007,199,254,740.99');
  });

  it('shows every cent exactly for any safe integer', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (cents) => {
        const digitsOnly = formatMoney(cents, 'USD', 'en-US').replace(/[^0-9]/g, '');
        expect(BigInt(digitsOnly)).toBe(BigInt(Math.abs(cents)));
      }),
    );
  });

  it('rejects fractional cents and unknown currencies', () => {
    expect(() => formatMoney(1.5, 'USD', 'en-US')).toThrow(
      'Money amounts must be a whole number of cents.',
    );
    expect(() => formatMoney(1, 'JPY' as Currency, 'en-US')).toThrow(/Unsupported currency/);
    expect(isCurrency('BRL')).toBe(true);
    expect(isCurrency('brl')).toBe(false);
  });
});
