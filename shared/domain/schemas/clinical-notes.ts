import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { NOTE_STATUSES } from '../enums';
import { baseProperties, baseRequired, idField, instantField } from './fragments';

const clinicalNotesSchemaLiteral = {
  title: 'clinical_notes',
  description:
    'A clinical note. Signed notes are immutable; a change is a new note that amends the old one.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    patientId: idField,
    appointmentId: idField,
    providerId: idField,
    body: { type: 'string', maxLength: 50_000 },
    status: { type: 'string', enum: NOTE_STATUSES },
    /** Set together with signedBy when the note is signed, absent while it is a draft. */
    signedAt: instantField,
    signedBy: idField,
    /** The note this one amends; the amended note itself stays as it was signed. */
    amendsNoteId: idField,
    createdAt: instantField,
  },
  required: [...baseRequired, 'patientId', 'providerId', 'body', 'status', 'createdAt'],
  indexes: [['patientId', 'createdAt']],
} as const;

export const clinicalNotesSchema = toTypedRxJsonSchema(clinicalNotesSchemaLiteral);
export type ClinicalNote = ExtractDocumentTypeFromTypedRxJsonSchema<typeof clinicalNotesSchema>;
