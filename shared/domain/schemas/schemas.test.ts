import { createHash } from 'node:crypto';
import { addRxPlugin, createRxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { ALL_TEETH } from '../rules/teeth';
import { validateDocument } from '../validation';
import { hasWrittenHint } from './field-hints';
import {
  COLLECTION_NAMES,
  clinicCollectionCreators,
  collectionMigrationStrategies,
  collectionSchemas,
  type ClinicCollections,
  type ClinicDatabase,
  type CollectionName,
  TOOTH_ID_PATTERN,
} from './index';
import { sampleDocument } from './samples';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);
// A collection past version 0 cannot be created without it, even empty.
addRxPlugin(RxDBMigrationSchemaPlugin);

let db: ClinicDatabase | undefined;
afterEach(async () => {
  await db?.remove();
  db = undefined;
});

async function createClinicDatabase(): Promise<ClinicDatabase> {
  db = await createRxDatabase<ClinicCollections>({
    name: `clinic${newId().replace(/-/g, '')}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
  });
  await db.addCollections(clinicCollectionCreators());
  return db;
}

type AnySchema = RxJsonSchema<Record<string, unknown>>;
const schemaOf = (name: CollectionName) => collectionSchemas[name] as unknown as AnySchema;

describe('collection schemas in RxDB (dev-mode, ajv-validated memory storage)', () => {
  it('accepts every schema and stores one valid document per collection', async () => {
    const database = await createClinicDatabase();
    expect(Object.keys(database.collections).sort()).toEqual([...COLLECTION_NAMES].sort());
    for (const name of COLLECTION_NAMES) {
      const sample = sampleDocument(name);
      // One collection at a time keeps the generic insert typed per collection.
      const collection = database.collections[name] as unknown as {
        insert(doc: unknown): Promise<{ toJSON(): unknown }>;
        count(): { exec(): Promise<number> };
      };
      const stored = await collection.insert(sample);
      expect(stored.toJSON()).toEqual(sample);
      expect(await collection.count().exec()).toBe(1);
    }
  });

  it('rejects a document that breaks its schema', async () => {
    const database = await createClinicDatabase();
    const patient: Record<string, unknown> = { ...sampleDocument('patients') };
    delete patient.lastName;
    await expect(database.patients.insert(patient as never)).rejects.toMatchObject({ code: 'VD2' });
    const appointment = { ...sampleDocument('appointments'), start: '2024-03-25 12:00' };
    await expect(database.appointments.insert(appointment)).rejects.toMatchObject({ code: 'VD2' });
    expect(await database.patients.count().exec()).toBe(0);
  });

  it('answers appointment range queries from the [providerId, start] index in time order', async () => {
    const database = await createClinicDatabase();
    const base = sampleDocument('appointments');
    const starts = [
      '2024-03-25T15:00:00.000Z',
      '2024-03-25T09:00:00.000Z',
      '2024-03-26T09:00:00.000Z',
    ];
    for (const start of starts) {
      await database.appointments.insert({ ...base, id: newId(), start, end: start });
    }
    const query = database.appointments.find({
      selector: {
        providerId: base.providerId,
        start: { $gte: '2024-03-25T00:00:00.000Z', $lt: '2024-03-26T00:00:00.000Z' },
      },
      sort: [{ start: 'asc' }],
    });
    const found = await query.exec();
    expect(found.map((doc) => doc.start)).toEqual([
      '2024-03-25T09:00:00.000Z',
      '2024-03-25T15:00:00.000Z',
    ]);
    const plan = query.getPreparedQuery().queryPlan;
    expect(plan.index).toEqual(['_deleted', 'providerId', 'start', 'id']);
  });
});

describe('schema conventions', () => {
  it('names every collection once, each with a migration step per version and primary key id', () => {
    expect(Object.keys(collectionSchemas)).toEqual([...COLLECTION_NAMES]);
    for (const name of COLLECTION_NAMES) {
      const schema = schemaOf(name);
      const steps = Object.keys(collectionMigrationStrategies[name]).map(Number);
      expect(steps, name).toEqual(Array.from({ length: schema.version }, (_, n) => n + 1));
      expect(schema.primaryKey, name).toBe('id');
      expect(schema.properties.id?.maxLength, name).toBe(36);
      for (const base of ['id', 'clinicId', 'updatedAt', 'updatedBy']) {
        expect(schema.required, `${name}.${base}`).toContain(base);
      }
    }
  });

  it('makes every indexed field required, or a string added later (missing sorts first)', () => {
    // A field added after version 0 cannot be required (rule 1); a missing string indexes as
    // '', below every prefix a range scan asks for.
    const addedLater: Partial<Record<CollectionName, readonly string[]>> = {
      patients: ['givenNameKey'],
    };
    for (const name of COLLECTION_NAMES) {
      const schema = schemaOf(name);
      const fields = (schema.indexes ?? []).flatMap((index) =>
        Array.isArray(index) ? index : [index],
      );
      for (const field of fields) {
        if (addedLater[name]?.includes(field)) {
          expect(schema.properties[field], `${name}.${field}`).toMatchObject({ type: 'string' });
          expect(schema.required, `${name}.${field}`).not.toContain(field);
        } else expect(schema.required, `${name}.${String(field)}`).toContain(field);
      }
    }
  });

  it('has a written label for every field, nested ones included', () => {
    const missing: string[] = [];
    const walk = (name: CollectionName, properties: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(properties)) {
        const path = prefix === '' ? key : `${prefix}.${key}`;
        if (!hasWrittenHint(name, path)) missing.push(`${name}: ${path}`);
        const field = value as {
          properties?: Record<string, unknown>;
          items?: { properties?: Record<string, unknown> };
        };
        const nested = field.properties ?? field.items?.properties;
        if (nested) walk(name, nested, path);
      }
    };
    for (const name of COLLECTION_NAMES) walk(name, schemaOf(name).properties, '');
    expect(missing).toEqual([]);
  });
});

describe('samples and shared rules', () => {
  it('gives a sample per collection that validateDocument accepts', () => {
    for (const name of COLLECTION_NAMES) {
      expect(validateDocument(name, sampleDocument(name)), name).toMatchObject({ ok: true });
    }
  });

  it('has a tooth pattern that accepts exactly the canonical teeth of rules/teeth', () => {
    const pattern = new RegExp(TOOTH_ID_PATTERN);
    const everyTwoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
    expect(everyTwoDigits.filter((id) => pattern.test(id))).toEqual([...ALL_TEETH].sort());
  });
});

describe('released schemas', () => {
  // What each released schema looks like. Editing a schema without bumping its version breaks
  // every workstation that already stored it (RxDB refuses a changed schema at the same version),
  // so a change here must come with a version bump and a migration step, then a new pin.
  const RELEASED: Record<CollectionName, string> = {
    patients: '1:a14b5064b20c555c',
    providers: '0:185e38e8c1140b27',
    operatories: '0:cd4cd204567ab226',
    appointment_types: '0:7bc98e92cf540932',
    appointments: '0:5423e3a9142d3728',
    procedures: '0:73a9385c840da4b1',
    clinical_notes: '0:fb82fdd000470ebb',
    ledger_entries: '0:c4f235be34a236b2',
    audit_events: '0:8f08c5bd9d79df6a',
    staff: '0:77d070cf264874e3',
  };

  const pinOf = (schema: unknown) =>
    createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);

  it.each(COLLECTION_NAMES)('%s is unchanged at its released version', (name) => {
    const schema = schemaOf(name);
    expect(`${schema.version}:${pinOf(schema)}`).toBe(RELEASED[name]);
  });

  it('patients 1 is patients 0 plus the optional, indexed givenNameKey, nothing else', () => {
    const { givenNameKey, ...v0Properties } = schemaOf('patients').properties;
    expect(givenNameKey).toBeDefined();
    const v0 = {
      ...schemaOf('patients'),
      version: 0,
      properties: v0Properties,
      indexes: schemaOf('patients').indexes?.filter((index) => index !== 'givenNameKey'),
    };
    // The pin patients had at version 0.
    expect(`0:${pinOf(v0)}`).toBe('0:8f723678a1c5e1b1');
  });
});
