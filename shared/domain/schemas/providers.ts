import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { PROVIDER_KINDS } from '../enums';
import {
  baseProperties,
  baseRequired,
  colourField,
  flagField,
  idField,
  nameField,
  timeOfDayField,
} from './fragments';

const providersSchemaLiteral = {
  title: 'providers',
  description: 'A dentist or hygienist who can be booked, with their weekly working hours.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    kind: { type: 'string', enum: PROVIDER_KINDS },
    name: nameField,
    colour: colourField,
    /** Clinic-local hours; a day may have several spans (a lunch break) or none. */
    workingHours: {
      type: 'array',
      maxItems: 28,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          /** 0 = Sunday ... 6 = Saturday, as in Date#getDay(). */
          day: { type: 'integer', minimum: 0, maximum: 6 },
          start: timeOfDayField,
          end: timeOfDayField,
        },
        required: ['day', 'start', 'end'],
      },
    },
    active: flagField,
    /** The staff user who logs in as this provider, if any. */
    staffId: idField,
  },
  required: [...baseRequired, 'kind', 'name', 'colour', 'workingHours', 'active'],
} as const;

export const providersSchema = toTypedRxJsonSchema(providersSchemaLiteral);
export type Provider = ExtractDocumentTypeFromTypedRxJsonSchema<typeof providersSchema>;
