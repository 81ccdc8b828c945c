import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { ADJUSTMENT_DIRECTIONS, LEDGER_ENTRY_KINDS, PAYMENT_METHODS } from '../enums';

import {
  baseProperties,
  baseRequired,
  centsField,
  currencyField,
  idField,
  instantField,
} from './fragments';

const ledgerEntriesSchemaLiteral = {
  title: 'ledger_entries',
  description:
    'An append-only account entry: a charge, payment or adjustment. Corrections are new entries.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    patientId: idField,
    /** Whose balance the entry counts towards (the patient's guarantor when it was posted). */
    guarantorId: idField,
    kind: { type: 'string', enum: LEDGER_ENTRY_KINDS },
    /**
     * Always positive: the sign comes from the kind, never from the number. A charge raises the
     * balance, a payment lowers it, an adjustment goes the way its adjustmentDirection says.
     * `balanceEffect` in rules/ledger.ts is the one place that turns this into a signed amount.
     */
    amountCents: { ...centsField, minimum: 1 },
    /** Adjustments only: 'credit' lowers the balance (a discount), 'debit' raises it (a fee). */
    adjustmentDirection: { type: 'string', enum: ADJUSTMENT_DIRECTIONS },
    currency: currencyField,
    /** How a payment was made; only payments have one. */
    method: { type: 'string', enum: PAYMENT_METHODS },
    procedureId: idField,
    description: { type: 'string', maxLength: 500 },
    postedAt: instantField,
    /** Set on an entry that undoes another: same kind and amount, opposite effect. */
    reversesEntryId: idField,
  },
  required: [
    ...baseRequired,
    'patientId',
    'guarantorId',
    'kind',
    'amountCents',
    'currency',
    'description',
    'postedAt',
  ],
  indexes: [
    ['guarantorId', 'postedAt'],
    ['patientId', 'postedAt'],
  ],
} as const;

export const ledgerEntriesSchema = toTypedRxJsonSchema(ledgerEntriesSchemaLiteral);
export type LedgerEntry = ExtractDocumentTypeFromTypedRxJsonSchema<typeof ledgerEntriesSchema>;
