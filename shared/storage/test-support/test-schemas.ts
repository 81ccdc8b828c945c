// Small schemas shaped like the clinic's (patients, appointments, history) for storage tests and
// the benchmark. They are test fixtures, not the product's schemas (shared/domain/schemas).
import type { RxJsonSchema } from 'rxdb';

export type PatientTestDoc = {
  id: string;
  nameKey: string;
  phoneKey: string;
  birthDate: string;
  displayName: string;
  age: number;
  balance: number;
  address?: { city?: string; zip?: number };
  tags: string[];
};

export const patientTestSchema: RxJsonSchema<PatientTestDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    nameKey: { type: 'string', maxLength: 60 },
    phoneKey: { type: 'string', maxLength: 20 },
    birthDate: { type: 'string', maxLength: 10 },
    displayName: { type: 'string' },
    age: { type: 'integer', minimum: 0, maximum: 150, multipleOf: 1 },
    balance: { type: 'number', minimum: -100000, maximum: 100000, multipleOf: 0.01 },
    address: {
      type: 'object',
      properties: {
        city: { type: 'string', maxLength: 30 },
        zip: { type: 'integer', minimum: 0, maximum: 99999, multipleOf: 1 },
      },
    },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['id', 'nameKey', 'phoneKey', 'birthDate', 'displayName', 'age', 'balance', 'tags'],
  indexes: ['nameKey', 'phoneKey', 'birthDate', ['age', 'balance'], 'address.city'],
};

export type AppointmentTestDoc = {
  id: string;
  providerId: string;
  operatoryId: string;
  patientId: string;
  start: string;
  end: string;
  status: string;
  note?: string;
};

export const appointmentTestSchema: RxJsonSchema<AppointmentTestDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    providerId: { type: 'string', maxLength: 40 },
    operatoryId: { type: 'string', maxLength: 40 },
    patientId: { type: 'string', maxLength: 40 },
    start: { type: 'string', maxLength: 30 },
    end: { type: 'string', maxLength: 30 },
    status: { type: 'string', maxLength: 20 },
    note: { type: 'string' },
  },
  required: ['id', 'providerId', 'operatoryId', 'patientId', 'start', 'end', 'status'],
  indexes: [
    ['providerId', 'start'],
    ['operatoryId', 'start'],
    ['patientId', 'start'],
  ],
};

export type HistoryTestDoc = {
  id: string;
  patientId: string;
  date: string;
  code: string;
};

export const historyTestSchema: RxJsonSchema<HistoryTestDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    patientId: { type: 'string', maxLength: 40 },
    date: { type: 'string', maxLength: 10 },
    code: { type: 'string', maxLength: 10 },
  },
  required: ['id', 'patientId', 'date', 'code'],
  indexes: [['patientId', 'date']],
};

export type NoteTestDoc = { id: string; title: string };

/** A schema with attachments, for attachment tests. */
export const noteWithAttachmentsTestSchema: RxJsonSchema<NoteTestDoc> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    title: { type: 'string', maxLength: 40 },
  },
  required: ['id', 'title'],
  indexes: ['title'],
  attachments: {},
};
