import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { baseProperties, baseRequired, colourField, flagField, nameField } from './fragments';

const appointmentTypesSchemaLiteral = {
  title: 'appointment_types',
  description: 'A kind of visit (cleaning, crown prep...) with its default length and colour.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    name: nameField,
    /** Default length offered when booking; the schedule grid is 5 minutes. */
    durationMinutes: { type: 'integer', minimum: 5, maximum: 720, multipleOf: 5 },
    colour: colourField,
    active: flagField,
  },
  required: [...baseRequired, 'name', 'durationMinutes', 'colour', 'active'],
} as const;

export const appointmentTypesSchema = toTypedRxJsonSchema(appointmentTypesSchemaLiteral);
export type AppointmentType = ExtractDocumentTypeFromTypedRxJsonSchema<
  typeof appointmentTypesSchema
>;
