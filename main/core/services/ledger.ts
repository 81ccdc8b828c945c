// Billing on the append-only ledger. A balance belongs to the guarantor's account; entries are
// only ever added (a correction is a reversal entry), and every sum goes through the ledger rules
// of shared/domain so the rules for signs, reversals and currencies live in one place.
import type { InputOf } from '../../../shared/api/contract';
import type { Balance, Created } from '../../../shared/api/views';
import type { Currency } from '../../../shared/domain/enums';
import { newId } from '../../../shared/domain/ids';
import { accountBalance, LedgerError, ledgerTotals } from '../../../shared/domain/rules/ledger';
import type {
  ClinicDatabase,
  LedgerEntry,
  Patient,
  Procedure,
} from '../../../shared/domain/schemas/index';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError, type ServiceTable } from '../service-table';
import {
  audit,
  getDocument,
  insertDocument,
  plain,
  type AuditedWrite,
  type ServiceScope,
  type Services,
} from './context';

/** Every entry of a guarantor's account, oldest first (the [guarantorId, postedAt] index). */
export async function accountEntries(
  db: ClinicDatabase,
  guarantorId: string,
): Promise<LedgerEntry[]> {
  const docs = await db.ledger_entries
    .find({ selector: { guarantorId: { $eq: guarantorId } }, sort: [{ postedAt: 'asc' }] })
    .exec();
  return docs.map((doc) => plain<LedgerEntry>(doc));
}

/** The account's currency: that of its entries, or the clinic's for an empty account. */
function accountCurrency(services: Services, entries: readonly LedgerEntry[]): Currency {
  return entries[0]?.currency ?? services.currency();
}

/** Sums with the ledger rules; a broken account is a conflict to show, never a wrong number. */
function sumAccount(entries: readonly LedgerEntry[], currency: Currency): number {
  try {
    return accountBalance(entries, currency);
  } catch (error) {
    if (error instanceof LedgerError) throw new ServiceError('conflict', error.message);
    throw error;
  }
}

export function accountBalanceOf(
  services: Services,
  guarantorId: string,
  entries: readonly LedgerEntry[],
): Balance {
  const currency = accountCurrency(services, entries);
  return { guarantorId, currency, balanceCents: sumAccount(entries, currency) };
}

/**
 * Posts `entry` on its account after checking that the account, with it, still satisfies the
 * ledger rules (one currency, reversals mirror their originals and happen once).
 */
async function postEntry(
  services: Services,
  scope: ServiceScope,
  entry: LedgerEntry,
): Promise<void> {
  const existing = await accountEntries(scope.db, entry.guarantorId);
  const currency = accountCurrency(services, existing);
  if (entry.currency !== currency) {
    throw new ValidationError([
      { field: 'currency', message: `currency must be ${currency}, the currency of this account` },
    ]);
  }
  try {
    ledgerTotals([...existing, entry], currency);
  } catch (error) {
    if (error instanceof LedgerError) throw new ServiceError('conflict', error.message);
    throw error;
  }
  await insertDocument(scope.db, 'ledger_entries', entry);
}

type NewEntryFields = Omit<
  LedgerEntry,
  'id' | 'clinicId' | 'updatedAt' | 'updatedBy' | 'patientId' | 'guarantorId' | 'postedAt'
>;

function newEntry(scope: ServiceScope, patient: Patient, fields: NewEntryFields): LedgerEntry {
  return {
    id: newId(),
    ...scope.stamp,
    patientId: patient.id,
    guarantorId: patient.guarantorId,
    postedAt: scope.now,
    ...fields,
  };
}

/**
 * The charge for a completed procedure, posted once: the one place completing a procedure bills.
 * A procedure with no fee, or one already charged, posts nothing. Returns the written entry.
 */
export async function postProcedureCharge(
  services: Services,
  scope: ServiceScope,
  procedure: Procedure,
  description: string,
): Promise<AuditedWrite | null> {
  if (procedure.status !== 'completed' || procedure.feeCents === 0) return null;
  const patient = await getDocument(scope.db, 'patients', procedure.patientId);
  const charged = await scope.db.ledger_entries
    .findOne({
      selector: {
        guarantorId: { $eq: patient.guarantorId },
        procedureId: { $eq: procedure.id },
        kind: { $eq: 'charge' },
      },
    })
    .exec();
  if (charged) return null;
  const charge = newEntry(scope, patient, {
    kind: 'charge',
    amountCents: procedure.feeCents,
    currency: procedure.currency,
    procedureId: procedure.id,
    description,
  });
  await postEntry(services, scope, charge);
  return { entity: 'ledger_entries', entityId: charge.id };
}

async function takePayment(
  services: Services,
  scope: ServiceScope,
  input: InputOf<'ledger.takePayment'>,
): Promise<Created> {
  const patient = await getDocument(scope.db, 'patients', input.patientId);
  const payment = newEntry(scope, patient, {
    kind: 'payment',
    amountCents: input.amountCents,
    currency: input.currency,
    method: input.method,
    description: input.description ?? '',
  });
  await postEntry(services, scope, payment);
  await audit(scope, 'ledger.takePayment', [{ entity: 'ledger_entries', entityId: payment.id }]);
  return { id: payment.id };
}

async function adjust(
  services: Services,
  scope: ServiceScope,
  input: InputOf<'ledger.adjust'>,
): Promise<Created> {
  const patient = await getDocument(scope.db, 'patients', input.patientId);
  const adjustment = newEntry(scope, patient, {
    kind: 'adjustment',
    amountCents: input.amountCents,
    currency: input.currency,
    adjustmentDirection: input.direction,
    description: input.description,
  });
  await postEntry(services, scope, adjustment);
  await audit(scope, 'ledger.adjust', [{ entity: 'ledger_entries', entityId: adjustment.id }]);
  return { id: adjustment.id };
}

async function reverse(
  services: Services,
  scope: ServiceScope,
  input: InputOf<'ledger.reverse'>,
): Promise<Created> {
  const original = await getDocument(scope.db, 'ledger_entries', input.entryId);
  if (original.reversesEntryId !== undefined) {
    throw new ServiceError(
      'conflict',
      'A reversal cannot itself be reversed; post a new entry instead.',
    );
  }
  const account = await accountEntries(scope.db, original.guarantorId);
  if (account.some((entry) => entry.reversesEntryId === original.id)) {
    throw new ServiceError('conflict', 'This entry has already been reversed.');
  }
  // The mirror of the original (same account, kind, amount, currency, direction and method).
  const reversal: LedgerEntry = {
    ...original,
    id: newId(),
    ...scope.stamp,
    postedAt: scope.now,
    description: input.reason,
    reversesEntryId: original.id,
  };
  await postEntry(services, scope, reversal);
  await audit(scope, 'ledger.reverse', [{ entity: 'ledger_entries', entityId: reversal.id }]);
  return { id: reversal.id };
}

export function ledgerHandlers(
  services: Services,
): Pick<
  ServiceTable,
  'ledger.balance' | 'ledger.takePayment' | 'ledger.adjust' | 'ledger.reverse'
> {
  return {
    'ledger.balance': async (input, context) => {
      const { db } = services.scope(context);
      const patient = await getDocument(db, 'patients', input.patientId);
      return accountBalanceOf(
        services,
        patient.guarantorId,
        await accountEntries(db, patient.guarantorId),
      );
    },
    'ledger.takePayment': async (input, context) =>
      takePayment(services, services.scope(context), input),
    'ledger.adjust': async (input, context) => adjust(services, services.scope(context), input),
    'ledger.reverse': async (input, context) => reverse(services, services.scope(context), input),
  };
}
