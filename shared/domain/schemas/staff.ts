import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { STAFF_ROLES } from '../enums';
import {
  baseProperties,
  baseRequired,
  emailField,
  flagField,
  idField,
  nameField,
} from './fragments';

const staffSchemaLiteral = {
  title: 'staff',
  description: 'The clinic users, read-only on workstations: the sync server owns this list.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    name: nameField,
    email: emailField,
    role: { type: 'string', enum: STAFF_ROLES },
    active: flagField,
    /** The provider this user is booked as, for dentists and hygienists. */
    providerId: idField,
  },
  required: [...baseRequired, 'name', 'email', 'role', 'active'],
} as const;

export const staffSchema = toTypedRxJsonSchema(staffSchemaLiteral);
export type StaffMember = ExtractDocumentTypeFromTypedRxJsonSchema<typeof staffSchema>;
