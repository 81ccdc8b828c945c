// Checks an app API call's input against the contract before any service sees it, and says what
// is wrong in the same words as document validation (the field's title, what is expected).
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from 'typebox';
import { commonFieldHint, type FieldHint } from '../domain/schemas/field-hints';
import { issuesFromSchemaErrors, type ValidationResult } from '../domain/validation';
import { appApi, isMethodName, type InputOf, type MethodName } from './contract';

const ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
addFormats(ajv);
const validators = new Map<MethodName, ValidateFunction>();

function validatorFor(method: MethodName): ValidateFunction {
  let validate = validators.get(method);
  if (!validate) {
    validate = ajv.compile(appApi[method].input);
    validators.set(method, validate);
  }
  return validate;
}

interface SchemaNode {
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

/** The words for `a.b.0.c` from the schema's own `title` and `description`, else the common ones. */
function hintFromSchema(schema: TSchema, fieldPath: string): FieldHint {
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const segment of fieldPath.split('.').filter(Boolean)) {
    node = /^\d+$/.test(segment) ? node?.items : node?.properties?.[segment];
  }
  if (node?.title) {
    return node.description
      ? { label: node.title, expected: node.description }
      : { label: node.title };
  }
  return commonFieldHint(fieldPath);
}

/** The input checked against the method's schema; an unknown method is a TypeError. */
export function validateApiInput<M extends MethodName>(
  method: M,
  input: unknown,
): ValidationResult<InputOf<M>> {
  if (!isMethodName(method)) throw new TypeError('unknown app API method');
  const validate = validatorFor(method);
  if (validate(input)) return { ok: true, value: input as InputOf<M> };
  const schema = appApi[method].input;
  return {
    ok: false,
    issues: issuesFromSchemaErrors(validate.errors ?? [], {
      hint: (path) => hintFromSchema(schema, path),
      recordNoun: 'request',
    }),
  };
}
