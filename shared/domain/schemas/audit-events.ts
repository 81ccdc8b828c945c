import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema } from 'rxdb';
import { COLLECTION_NAMES } from './collection-names';
import { baseProperties, baseRequired, idField, instantField } from './fragments';

const auditEventsSchemaLiteral = {
  title: 'audit_events',
  description:
    'Append-only record of who did what to which record. Holds ids only, never patient data.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    ...baseProperties,
    actorId: idField,
    deviceId: idField,
    /** A verb from code, never from user input, e.g. "appointment.check_in" or "note.sign". */
    action: { type: 'string', pattern: '^[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)*$', maxLength: 64 },
    entity: { type: 'string', enum: COLLECTION_NAMES },
    entityId: idField,
    at: instantField,
  },
  required: [...baseRequired, 'actorId', 'deviceId', 'action', 'entity', 'entityId', 'at'],
  indexes: [['entityId', 'at'], 'at'],
} as const;

export const auditEventsSchema = toTypedRxJsonSchema(auditEventsSchemaLiteral);
export type AuditEvent = ExtractDocumentTypeFromTypedRxJsonSchema<typeof auditEventsSchema>;
