// Checks a document against its collection's schema (the same RxDB schema the database enforces)
// and against the rules JSON Schema cannot express, and says what is wrong in words a person can
// act on. Messages name the field and what is expected, with an invented example; they never
// repeat the submitted value, which may be patient data.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  collectionSchemas,
  isCollectionName,
  type CollectionName,
  type DocumentOf,
} from './schemas/index';
import { collectionNoun, fieldHint, type FieldHint } from './schemas/field-hints';
import { normalizeSurfaces, InvalidSurfaceError } from './rules/surfaces';
import { isToothId } from './rules/teeth';
import { isUtcInstant } from './rules/instant';
import { isCalendarDate, minutesOfDay, isTimeOfDay } from './time';

export interface ValidationIssue {
  /** Dotted path of the field, with list positions: `phones.0.number`. Empty for the whole record. */
  readonly field: string;
  /** A sentence fragment for a person, e.g. "birth date must be a date in the past, like 1984-03-21". */
  readonly message: string;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: ValidationIssue[] };

/** Thrown where invalid input cannot just be returned; `message` is safe to show and to log. */
export class ValidationError extends Error {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(formatIssues(issues) || 'The record is not valid.');
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** All issues as one sentence: "Birth date must be ...; email must look like name@example.com." */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return '';
  const sentence = issues.map((issue) => issue.message).join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/**
 * Validates `doc` as a document of `collection`. A replicated tombstone's `_deleted` flag is
 * accepted; anything else outside the schema is an issue. The returned value is `doc` itself.
 */
export function validateDocument<C extends CollectionName>(
  collection: C,
  doc: unknown,
): ValidationResult<DocumentOf<C>> {
  const validate = validatorFor(collection);
  const issues: ValidationIssue[] = [];
  if (!validate(doc)) {
    issues.push(
      ...issuesFromSchemaErrors(validate.errors ?? [], {
        hint: (path) => fieldHint(collection, path),
        recordNoun: collectionNoun(collection),
      }),
    );
  }
  if (isRecord(doc)) issues.push(...DOMAIN_RULES[collection](doc));
  const unique = firstIssuePerField(issues);
  return unique.length === 0
    ? { ok: true, value: doc as DocumentOf<C> }
    : { ok: false, issues: unique };
}

/** Like validateDocument, but throws a ValidationError. */
export function assertValidDocument<C extends CollectionName>(
  collection: C,
  doc: unknown,
): DocumentOf<C> {
  const result = validateDocument(collection, doc);
  if (!result.ok) throw new ValidationError(result.issues);
  return result.value;
}

// ---------------------------------------------------------------------------------------------
// Schema validation

const ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
addFormats(ajv);
const validators = new Map<CollectionName, ValidateFunction>();

function validatorFor(collection: CollectionName): ValidateFunction {
  // Collection names reach here from HTTP paths too; a bad one is a programming error.
  if (!isCollectionName(collection)) throw new TypeError('unknown collection');
  let validate = validators.get(collection);
  if (!validate) {
    const schema = collectionSchemas[collection];
    validate = ajv.compile({
      type: 'object',
      properties: { ...schema.properties, _deleted: { type: 'boolean' } },
      required: schema.required,
      additionalProperties: false,
    });
    validators.set(collection, validate);
  }
  return validate;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'be text',
  integer: 'be a whole number',
  number: 'be a number',
  boolean: 'be true or false',
  array: 'be a list',
  object: 'be a group of fields',
  null: 'be empty',
};

/** Where the words for a schema's fields come from: a collection's hints, or an API input's. */
export interface FieldWords {
  hint(fieldPath: string): FieldHint;
  /** What the whole input is called: "patient", "booking". */
  readonly recordNoun: string;
}

/**
 * Turns ajv errors (ajv built with `verbose: true`, or TypeBox's ajv-shaped errors) into issues a
 * person can act on, one per field. Shared by document validation and the app API's inputs.
 */
export function issuesFromSchemaErrors(
  errors: readonly ErrorObject[],
  words: FieldWords,
): ValidationIssue[] {
  return firstIssuePerField(errors.map((error) => issueFromSchemaError(words, error)));
}

function issueFromSchemaError(words: FieldWords, error: ErrorObject): ValidationIssue {
  const at = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = joinPath(at, String(params.missingProperty));
    return { field, message: `${words.hint(field).label} is required` };
  }
  if (error.keyword === 'additionalProperties') {
    // The unexpected key is reported in `field` only: a key could itself be typed-in data.
    const field = joinPath(at, String(params.additionalProperty));
    const owner = at === '' ? `the ${words.recordNoun} record` : words.hint(at).label;
    return { field, message: `${owner} has an unexpected field; remove it` };
  }
  if (at === '' && error.keyword === 'type') {
    return { field: '', message: `the ${words.recordNoun} must be a record of fields` };
  }
  const hint = words.hint(at);
  const fieldSchema = (error.parentSchema ?? {}) as Record<string, unknown>;
  const fixedForm = fieldSchema.pattern !== undefined || fieldSchema.format !== undefined;
  const expected = (fallback: string): string => `${hint.label} must ${hint.expected ?? fallback}`;
  switch (error.keyword) {
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String).join(', ');
      return { field: at, message: `${hint.label} must be one of: ${allowed}` };
    }
    case 'type': {
      const types = String(params.type).split(',');
      const words = types.map((type) => TYPE_WORDS[type] ?? 'be something else').join(' or ');
      return { field: at, message: expected(words) };
    }
    case 'minLength':
      if (params.limit === 1) return { field: at, message: `${hint.label} must not be empty` };
      return { field: at, message: expected(`be at least ${String(params.limit)} characters`) };
    case 'maxLength':
      return {
        field: at,
        message: fixedForm
          ? expected('be written in the expected form')
          : `${hint.label} must be at most ${String(params.limit)} characters`,
      };
    case 'maxItems':
      return {
        field: at,
        message: `${hint.label} can have at most ${String(params.limit)} entries`,
      };
    case 'uniqueItems':
      return { field: at, message: `${hint.label} must not list the same entry twice` };
    case 'minimum':
      return { field: at, message: expected(`be at least ${String(params.limit)}`) };
    case 'maximum':
      return { field: at, message: expected(`be at most ${String(params.limit)}`) };
    case 'multipleOf':
      return { field: at, message: expected(`be a multiple of ${String(params.multipleOf)}`) };
    case 'pattern':
    case 'format':
      return { field: at, message: expected('be written in the expected form') };
    default:
      return { field: at, message: expected('be corrected') };
  }
}

/** `/phones/0/number` → `phones.0.number` (JSON Pointer escapes undone). */
function pathOf(instancePath: string): string {
  if (instancePath === '') return '';
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

function firstIssuePerField(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    if (seen.has(issue.field)) return false;
    seen.add(issue.field);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Domain rules: what JSON Schema cannot say. They see the raw input, so each checks types first
// and stays silent where the schema has already reported the field.

type DomainRule = (doc: Readonly<Record<string, unknown>>) => ValidationIssue[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Nobody alive was born earlier; catches a mistyped century. */
const EARLIEST_BIRTH_DATE = '1880-01-01';
/** The latest calendar date anywhere on Earth right now (UTC+14), so "today" is never future. */
function latestCalendarDateOnEarth(now: Date): string {
  return new Date(now.getTime() + 14 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

const patientRules: DomainRule = (doc) => {
  const birthDate = text(doc.birthDate);
  if (birthDate === undefined || !isCalendarDate(birthDate)) return [];
  const inRange =
    birthDate >= EARLIEST_BIRTH_DATE && birthDate <= latestCalendarDateOnEarth(new Date());
  return inRange
    ? []
    : [{ field: 'birthDate', message: 'birth date must be a date in the past, like 1984-03-21' }];
};

const appointmentRules: DomainRule = (doc) => {
  const start = text(doc.start);
  const end = text(doc.end);
  if (start === undefined || end === undefined) return [];
  if (!isUtcInstant(start) || !isUtcInstant(end) || end > start) return [];
  return [{ field: 'end', message: 'end time must be after the start time' }];
};

const procedureRules: DomainRule = (doc) => {
  const surfaces = text(doc.surfaces);
  if (surfaces === undefined || surfaces === '') return [];
  if (doc.tooth === null) {
    return [
      { field: 'surfaces', message: 'surfaces need a tooth, like tooth 36 with surfaces MOD' },
    ];
  }
  if (!isToothId(doc.tooth)) return [];
  // Stored surfaces are in the canonical form for their tooth, so equal surfaces are equal text.
  let canonical: string | undefined;
  try {
    canonical = normalizeSurfaces(doc.tooth, surfaces);
  } catch (error) {
    if (!(error instanceof InvalidSurfaceError)) throw error;
  }
  if (canonical === surfaces) return [];
  const { label, expected } = fieldHint('procedures', 'surfaces');
  return [{ field: 'surfaces', message: `${label} must ${expected ?? 'suit the tooth'}` }];
};

const clinicalNoteRules: DomainRule = (doc) => {
  const issues: ValidationIssue[] = [];
  if (doc.status === 'signed') {
    if (doc.signedAt === undefined) {
      issues.push({ field: 'signedAt', message: 'signing time is required on a signed note' });
    }
    if (doc.signedBy === undefined) {
      issues.push({ field: 'signedBy', message: 'signed by is required on a signed note' });
    }
  } else if (doc.status === 'draft') {
    if (doc.signedAt !== undefined) {
      issues.push({ field: 'signedAt', message: 'a draft note cannot have a signing time' });
    }
    if (doc.signedBy !== undefined) {
      issues.push({ field: 'signedBy', message: 'a draft note cannot be signed by anyone yet' });
    }
  }
  if (doc.amendsNoteId !== undefined && doc.amendsNoteId === doc.id) {
    issues.push({ field: 'amendsNoteId', message: 'a note cannot amend itself' });
  }
  return issues;
};

const ledgerEntryRules: DomainRule = (doc) => {
  const issues: ValidationIssue[] = [];
  if (doc.kind === 'payment' && doc.method === undefined) {
    issues.push({
      field: 'method',
      message: 'payment method is required for a payment, like card',
    });
  }
  if (doc.kind !== undefined && doc.kind !== 'payment' && doc.method !== undefined) {
    issues.push({ field: 'method', message: 'payment method is only given for payments' });
  }
  if (doc.kind === 'adjustment' && doc.adjustmentDirection === undefined) {
    issues.push({
      field: 'adjustmentDirection',
      message: 'adjustment direction is required for an adjustment, like credit for a discount',
    });
  }
  if (
    doc.kind !== undefined &&
    doc.kind !== 'adjustment' &&
    doc.adjustmentDirection !== undefined
  ) {
    issues.push({
      field: 'adjustmentDirection',
      message: 'adjustment direction is only given for adjustments',
    });
  }
  if (doc.reversesEntryId !== undefined && doc.reversesEntryId === doc.id) {
    issues.push({ field: 'reversesEntryId', message: 'an entry cannot reverse itself' });
  }
  return issues;
};

const providerRules: DomainRule = (doc) => {
  if (!Array.isArray(doc.workingHours)) return [];
  const issues: ValidationIssue[] = [];
  doc.workingHours.forEach((span: unknown, index) => {
    if (!isRecord(span)) return;
    const start = text(span.start);
    const end = text(span.end);
    if (start === undefined || end === undefined || !isTimeOfDay(start) || !isTimeOfDay(end))
      return;
    if (minutesOfDay(end) <= minutesOfDay(start)) {
      issues.push({
        field: `workingHours.${index}.end`,
        message: 'working hours end must be after their start, like 08:00 to 17:00',
      });
    }
  });
  return issues;
};

const noRules: DomainRule = () => [];

const DOMAIN_RULES: { readonly [C in CollectionName]: DomainRule } = {
  patients: patientRules,
  providers: providerRules,
  operatories: noRules,
  appointment_types: noRules,
  appointments: appointmentRules,
  procedures: procedureRules,
  clinical_notes: clinicalNoteRules,
  ledger_entries: ledgerEntryRules,
  audit_events: noRules,
  staff: noRules,
};
