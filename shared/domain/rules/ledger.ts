// Account balances from the append-only ledger.
//
// Every entry carries a positive integer amount in cents; the direction comes from its kind, never
// from a sign, so one validation rule covers every entry:
//   charge                           +amount (the patient owes more)
//   payment                          -amount
//   adjustment, direction 'debit'    +amount (e.g. a returned-check fee, a refund paid out)
//   adjustment, direction 'credit'   -amount (e.g. a courtesy discount, a write-off)
// A balance is positive when the patient owes the clinic.
//
// Corrections are new entries. A reversal names the entry it cancels in `reversesEntryId` and
// mirrors it (same kind, amount, currency and direction); its effect is the exact negation of the
// original. Because that effect is computed from the reversal's own fields, a balance is additive
// over any split of the ledger, even when the original and its reversal land in different pages.
// When both are present, the mirror is checked. A reversal cannot itself be reversed (post the
// original again instead), and an entry can be reversed only once.
//
// Sums are exact: every amount is a safe integer and every total is checked to stay one.

import type { AdjustmentDirection, Currency, LedgerEntryKind } from '../enums';
import { CURRENCIES, LEDGER_ENTRY_KINDS } from '../enums';

export { ADJUSTMENT_DIRECTIONS, type AdjustmentDirection } from '../enums';

/** The fields the balance needs; any ledger entry document type fits. */
export interface LedgerEntryInput {
  id: string;
  kind: LedgerEntryKind;
  amountCents: number;
  currency: string;
  /** Required on adjustments, absent on charges and payments. */
  adjustmentDirection?: AdjustmentDirection | null;
  reversesEntryId?: string | null;
}

/** Totals of one currency, each net of reversals, in integer cents. */
export interface LedgerTotals {
  currency: Currency;
  chargesCents: number;
  paymentsCents: number;
  debitAdjustmentsCents: number;
  creditAdjustmentsCents: number;
  /** charges - payments + debit adjustments - credit adjustments; positive = patient owes. */
  balanceCents: number;
}

export class LedgerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

function assertCurrency(value: unknown): asserts value is Currency {
  if (!isCurrency(value)) {
    throw new LedgerError(
      `Unsupported currency "${String(value).slice(0, 10)}"; use one of ${CURRENCIES.join(', ')}.`,
    );
  }
}

function assertWellFormed(entry: LedgerEntryInput): void {
  if (!(LEDGER_ENTRY_KINDS as readonly string[]).includes(entry.kind)) {
    throw new LedgerError(`Ledger entry ${entry.id} has an unknown kind.`);
  }
  if (!Number.isSafeInteger(entry.amountCents) || entry.amountCents <= 0) {
    throw new LedgerError(
      `Ledger entry ${entry.id} must have a positive whole number of cents; the direction comes from its kind.`,
    );
  }
  assertCurrency(entry.currency);
  const direction = entry.adjustmentDirection;
  if (entry.kind === 'adjustment') {
    if (direction !== 'credit' && direction !== 'debit') {
      throw new LedgerError(`Adjustment ${entry.id} must say whether it is a credit or a debit.`);
    }
  } else if (direction != null) {
    throw new LedgerError(
      `Only adjustments have a credit/debit direction; ${entry.id} is a ${entry.kind}.`,
    );
  }
  if (entry.reversesEntryId === entry.id) {
    throw new LedgerError(`Ledger entry ${entry.id} cannot reverse itself.`);
  }
}

type Bucket = 'chargesCents' | 'paymentsCents' | 'debitAdjustmentsCents' | 'creditAdjustmentsCents';

function bucketOf(entry: LedgerEntryInput): Bucket {
  if (entry.kind === 'charge') return 'chargesCents';
  if (entry.kind === 'payment') return 'paymentsCents';
  return entry.adjustmentDirection === 'debit' ? 'debitAdjustmentsCents' : 'creditAdjustmentsCents';
}

const RAISES_BALANCE: Readonly<Record<Bucket, boolean>> = {
  chargesCents: true,
  paymentsCents: false,
  debitAdjustmentsCents: true,
  creditAdjustmentsCents: false,
};

/** What one entry does to the balance, in cents: positive when it raises what the patient owes. */
export function balanceEffect(entry: LedgerEntryInput): number {
  assertWellFormed(entry);
  const sign = RAISES_BALANCE[bucketOf(entry)] ? 1 : -1;
  return (entry.reversesEntryId != null ? -sign : sign) * entry.amountCents;
}

/** Checks reversals against the originals present in `entries`. */
function assertReversalsConsistent(entries: readonly LedgerEntryInput[]): void {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const reversed = new Set<string>();
  for (const entry of entries) {
    const targetId = entry.reversesEntryId;
    if (targetId == null) continue;
    if (reversed.has(targetId)) {
      throw new LedgerError(`Ledger entry ${targetId} is reversed more than once.`);
    }
    reversed.add(targetId);
    const original = byId.get(targetId);
    if (original === undefined) continue; // on another page: its own fields still carry the effect
    if (original.reversesEntryId != null) {
      throw new LedgerError(
        `Entry ${entry.id} reverses ${targetId}, which is itself a reversal; post a new entry instead.`,
      );
    }
    const mirrors =
      original.kind === entry.kind &&
      original.amountCents === entry.amountCents &&
      original.currency === entry.currency &&
      (original.adjustmentDirection ?? null) === (entry.adjustmentDirection ?? null);
    if (!mirrors) {
      throw new LedgerError(
        `Reversal ${entry.id} must have the same kind, amount, currency and direction as entry ${targetId}.`,
      );
    }
  }
}

function addExactly(total: number, amount: number): number {
  const sum = total + amount;
  if (!Number.isSafeInteger(sum)) {
    throw new LedgerError('Ledger total is too large to compute exactly.');
  }
  return sum;
}

/**
 * Per-kind totals and balance of entries that must all be in `currency`. Entries in another
 * currency are refused rather than skipped, so an account is never shown a wrong balance.
 */
export function ledgerTotals(
  entries: readonly LedgerEntryInput[],
  currency: Currency,
): LedgerTotals {
  assertCurrency(currency);
  const totals: LedgerTotals = {
    currency,
    chargesCents: 0,
    paymentsCents: 0,
    debitAdjustmentsCents: 0,
    creditAdjustmentsCents: 0,
    balanceCents: 0,
  };
  for (const entry of entries) {
    const effect = balanceEffect(entry);
    if (entry.currency !== currency) {
      throw new LedgerError(
        `Ledger entry ${entry.id} is in ${entry.currency}, not ${currency}; balances are kept per currency and never mixed.`,
      );
    }
    const bucket = bucketOf(entry);
    const signedAmount = entry.reversesEntryId != null ? -entry.amountCents : entry.amountCents;
    totals[bucket] = addExactly(totals[bucket], signedAmount);
    totals.balanceCents = addExactly(totals.balanceCents, effect);
  }
  assertReversalsConsistent(entries);
  return totals;
}

/** Balance in integer cents of entries all in `currency`; positive = the patient owes. */
export function accountBalance(entries: readonly LedgerEntryInput[], currency: Currency): number {
  return ledgerTotals(entries, currency).balanceCents;
}

/** Totals for each currency that appears in `entries`, in the order of CURRENCIES. */
export function ledgerTotalsByCurrency(entries: readonly LedgerEntryInput[]): LedgerTotals[] {
  const groups = new Map<Currency, LedgerEntryInput[]>();
  for (const entry of entries) {
    assertCurrency(entry.currency);
    const group = groups.get(entry.currency);
    if (group) group.push(entry);
    else groups.set(entry.currency, [entry]);
  }
  // Reversal checks span currencies too: a reversal in another currency than its original is wrong.
  assertReversalsConsistent(entries);
  return CURRENCIES.filter((currency) => groups.has(currency)).map((currency) =>
    ledgerTotals(groups.get(currency)!, currency),
  );
}

function currencyFractionDigits(currency: Currency): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** Integer minor units as an exact decimal string ("-123456" cents -> "-1234.56"); no floats. */
function minorUnitsToDecimal(amount: number, fractionDigits: number): string {
  const digits = Math.abs(amount)
    .toString()
    .padStart(fractionDigits + 1, '0');
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  return `${amount < 0 ? '-' : ''}${whole}${fractionDigits > 0 ? `.${fraction}` : ''}`;
}

/**
 * Formats integer cents for people, e.g. formatMoney(123456, 'USD', 'en-US') -> "$1,234.56" and
 * formatMoney(123456, 'BRL', 'pt-BR') -> "R$ 1.234,56" (with a no-break space). The amount is
 * handed to Intl as an exact decimal string, so no float rounding can creep in.
 */
export function formatMoney(cents: number, currency: Currency, locale: string): string {
  if (!Number.isSafeInteger(cents)) {
    throw new LedgerError('Money amounts must be a whole number of cents.');
  }
  assertCurrency(currency);
  const fractionDigits = currencyFractionDigits(currency);
  const formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return formatter.format(minorUnitsToDecimal(cents, fractionDigits) as Intl.StringNumericLiteral);
}
