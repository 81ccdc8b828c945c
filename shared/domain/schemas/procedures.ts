import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { PROCEDURE_STATUSES } from '../enums';
import {
  baseProperties,
  baseRequired,
  calendarDateField,
  centsField,
  currencyField,
  idField,
  notesField,
} from './fragments';

/** Canonical (FDI, ISO 3950) tooth ids as rules/teeth.ts defines them: "11"-"48", "51"-"85". */
export const TOOTH_ID_PATTERN = '^(?:[1-4][1-8]|[5-8][1-5])$';
/**
 * Surface letters (rules/surfaces.ts). validation.ts also checks that they are in the canonical
 * form `normalizeSurfaces` gives for the tooth, so equal surfaces are equal strings.
 */
export const SURFACES_PATTERN = '^[MOIDBFL]*$';

const proceduresSchemaLiteral = {
  title: 'procedures',
  description: 'A dental procedure (ADA CDT code) planned, done, found existing or referred out.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    patientId: idField,
    appointmentId: idField,
    providerId: idField,
    cdtCode: { type: 'string', pattern: '^D\\d{4}$', maxLength: 5 },
    /** Canonical tooth id (rules/teeth.ts); null for procedures not on one tooth. */
    tooth: { type: ['string', 'null'], pattern: TOOTH_ID_PATTERN, maxLength: 2 },
    /** Surface letters such as "MOD"; empty when the procedure is not on surfaces. */
    surfaces: { type: 'string', pattern: SURFACES_PATTERN, maxLength: 7 },
    status: { type: 'string', enum: PROCEDURE_STATUSES },
    feeCents: centsField,
    currency: currencyField,
    /** Clinic-local date the procedure was (or is planned to be) done. */
    date: calendarDateField,
    notes: notesField,
  },
  required: [
    ...baseRequired,
    'patientId',
    'providerId',
    'cdtCode',
    'tooth',
    'surfaces',
    'status',
    'feeCents',
    'currency',
    'date',
  ],
  indexes: [['patientId', 'date']],
} as const;

export const proceduresSchema = toTypedRxJsonSchema(proceduresSchemaLiteral);
export type Procedure = ExtractDocumentTypeFromTypedRxJsonSchema<typeof proceduresSchema>;
