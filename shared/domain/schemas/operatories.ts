import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { baseProperties, baseRequired, flagField, nameField } from './fragments';

const operatoriesSchemaLiteral = {
  title: 'operatories',
  description: 'A treatment room or chair that appointments are booked into.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    name: nameField,
    /** Short label for narrow schedule columns, e.g. "OP1". */
    code: { type: 'string', minLength: 1, maxLength: 8 },
    active: flagField,
    /** Column order on the schedule, lowest first. */
    sortOrder: { type: 'integer', minimum: 0, maximum: 9999 },
  },
  required: [...baseRequired, 'name', 'code', 'active', 'sortOrder'],
} as const;

export const operatoriesSchema = toTypedRxJsonSchema(operatoriesSchemaLiteral);
export type Operatory = ExtractDocumentTypeFromTypedRxJsonSchema<typeof operatoriesSchema>;
