import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { APPOINTMENT_FLAGS, APPOINTMENT_STATUSES, CONFIRMATION_STATUSES } from '../enums';
import {
  baseProperties,
  baseRequired,
  idField,
  instantField,
  notesField,
  nullableInstantField,
  shortTextField,
} from './fragments';

const appointmentsSchemaLiteral = {
  title: 'appointments',
  description: 'A booking of a patient with a provider in an operatory, and its day-of progress.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    patientId: idField,
    providerId: idField,
    operatoryId: idField,
    typeId: idField,
    // UTC instants in stored form, so string order is time order in the indexes below.
    start: instantField,
    end: instantField,
    notes: notesField,
    status: { type: 'string', enum: APPOINTMENT_STATUSES },
    confirmation: { type: 'string', enum: CONFIRMATION_STATUSES },
    arrivedAt: nullableInstantField,
    seatedAt: nullableInstantField,
    dismissedAt: nullableInstantField,
    cancelledReason: shortTextField,
    /** Problems found after sync, e.g. a double booking made offline; shown for review. */
    flags: {
      type: 'array',
      uniqueItems: true,
      maxItems: APPOINTMENT_FLAGS.length,
      items: { type: 'string', enum: APPOINTMENT_FLAGS },
    },
  },
  required: [
    ...baseRequired,
    'patientId',
    'providerId',
    'operatoryId',
    'typeId',
    'start',
    'end',
    'status',
    'confirmation',
    'arrivedAt',
    'seatedAt',
    'dismissedAt',
    'flags',
  ],
  indexes: [
    ['providerId', 'start'],
    ['operatoryId', 'start'],
    ['patientId', 'start'],
  ],
} as const;

export const appointmentsSchema = toTypedRxJsonSchema(appointmentsSchemaLiteral);
export type Appointment = ExtractDocumentTypeFromTypedRxJsonSchema<typeof appointmentsSchema>;
