// One valid, invented document per collection, for tests across the project (storage, sync,
// API). Ids are fixed so the references between the samples line up.
import type { CollectionName, DocumentOf } from './index';
import { derivePatientSearchFields } from './patients';

const CLINIC_ID = '01900000-0000-7000-8000-000000000001';
const STAFF_ID = '01900000-0000-7000-8000-000000000002';
const PATIENT_ID = '01900000-0000-7000-8000-000000000003';
const PROVIDER_ID = '01900000-0000-7000-8000-000000000004';
const OPERATORY_ID = '01900000-0000-7000-8000-000000000005';
const TYPE_ID = '01900000-0000-7000-8000-000000000006';
const APPOINTMENT_ID = '01900000-0000-7000-8000-000000000007';
const PROCEDURE_ID = '01900000-0000-7000-8000-000000000008';
const NOTE_ID = '01900000-0000-7000-8000-000000000009';
const LEDGER_ENTRY_ID = '01900000-0000-7000-8000-00000000000a';
const AUDIT_EVENT_ID = '01900000-0000-7000-8000-00000000000b';
const DEVICE_ID = '01900000-0000-7000-8000-00000000000c';

const base = (id: string) => ({
  id,
  clinicId: CLINIC_ID,
  updatedAt: '2024-03-21T14:30:00.000Z',
  updatedBy: STAFF_ID,
});

const samplePatientName = { firstName: 'Élodie', lastName: 'Test-Sample' };
const samplePhones = [{ kind: 'mobile' as const, number: '+1 555 010 0199' }];

const SAMPLES: { readonly [C in CollectionName]: DocumentOf<C> } = {
  patients: {
    ...base(PATIENT_ID),
    ...samplePatientName,
    birthDate: '1984-03-21',
    sex: 'female',
    phones: samplePhones,
    email: 'name@example.com',
    address: { line1: '1 Sample Street', city: 'Exampleville', country: 'US' },
    insurance: [{ carrier: 'Sample Dental Plan', memberId: 'M-0001', relationship: 'self' }],
    allergies: ['penicillin'],
    medicalAlerts: [],
    status: 'active',
    familyId: PATIENT_ID,
    guarantorId: PATIENT_ID,
    ...derivePatientSearchFields({ ...samplePatientName, phones: samplePhones }),
  },
  providers: {
    ...base(PROVIDER_ID),
    kind: 'dentist',
    name: 'Dr. Sample Provider',
    colour: '#3a7bd5',
    workingHours: [
      { day: 1, start: '08:00', end: '12:00' },
      { day: 1, start: '13:00', end: '17:00' },
    ],
    active: true,
    staffId: STAFF_ID,
  },
  operatories: { ...base(OPERATORY_ID), name: 'Room 1', code: 'OP1', active: true, sortOrder: 1 },
  appointment_types: {
    ...base(TYPE_ID),
    name: 'Cleaning',
    durationMinutes: 30,
    colour: '#88cc88',
    active: true,
  },
  appointments: {
    ...base(APPOINTMENT_ID),
    patientId: PATIENT_ID,
    providerId: PROVIDER_ID,
    operatoryId: OPERATORY_ID,
    typeId: TYPE_ID,
    start: '2024-03-25T12:00:00.000Z',
    end: '2024-03-25T12:30:00.000Z',
    status: 'scheduled',
    confirmation: 'unconfirmed',
    arrivedAt: null,
    seatedAt: null,
    dismissedAt: null,
    flags: [],
  },
  procedures: {
    ...base(PROCEDURE_ID),
    patientId: PATIENT_ID,
    appointmentId: APPOINTMENT_ID,
    providerId: PROVIDER_ID,
    cdtCode: 'D2391',
    tooth: '36',
    surfaces: 'MOD',
    status: 'planned',
    feeCents: 12500,
    currency: 'USD',
    date: '2024-03-25',
  },
  clinical_notes: {
    ...base(NOTE_ID),
    patientId: PATIENT_ID,
    appointmentId: APPOINTMENT_ID,
    providerId: PROVIDER_ID,
    body: 'Sample note.',
    status: 'signed',
    signedAt: '2024-03-25T13:00:00.000Z',
    signedBy: STAFF_ID,
    createdAt: '2024-03-25T12:45:00.000Z',
  },
  ledger_entries: {
    ...base(LEDGER_ENTRY_ID),
    patientId: PATIENT_ID,
    guarantorId: PATIENT_ID,
    kind: 'payment',
    amountCents: 12500,
    currency: 'USD',
    method: 'card',
    description: 'Payment at the desk',
    postedAt: '2024-03-25T13:05:00.000Z',
  },
  audit_events: {
    ...base(AUDIT_EVENT_ID),
    actorId: STAFF_ID,
    deviceId: DEVICE_ID,
    action: 'appointment.check_in',
    entity: 'appointments',
    entityId: APPOINTMENT_ID,
    at: '2024-03-25T11:58:00.000Z',
  },
  staff: {
    ...base(STAFF_ID),
    name: 'Sample Dentist',
    email: 'dentist@example.com',
    role: 'dentist',
    active: true,
    providerId: PROVIDER_ID,
  },
};

/** A fresh copy of the valid sample document of `collection`. */
export function sampleDocument<C extends CollectionName>(collection: C): DocumentOf<C> {
  return structuredClone(SAMPLES[collection]);
}
