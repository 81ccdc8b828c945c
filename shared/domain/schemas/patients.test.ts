import { describe, expect, it } from 'vitest';
import { collectionMigrationStrategies } from './index';
import {
  derivePatientSearchFields,
  normalizeNameForSearch,
  patientForServer,
  patientFromServer,
} from './patients';
import { sampleDocument } from './samples';

describe('patient search fields', () => {
  it('derives "last first", "first last" without accents or case, and the primary phone digits', () => {
    expect(
      derivePatientSearchFields({
        firstName: 'José  Luís',
        lastName: "O'Brien-Gonçalves",
        phones: [
          { kind: 'mobile', number: '+55 (11) 91234-5678' },
          { kind: 'home', number: '555 0100' },
        ],
      }),
    ).toEqual({
      nameKey: 'obrien goncalves jose luis',
      givenNameKey: 'jose luis obrien goncalves',
      phoneKey: '5511912345678',
    });
  });

  it('gives an empty phone key to a patient without phones', () => {
    const fields = derivePatientSearchFields({ firstName: 'A', lastName: 'B', phones: [] });
    expect(fields.phoneKey).toBe('');
  });

  it('normalizes a typed search the same way, so a prefix finds the stored key', () => {
    const { nameKey } = derivePatientSearchFields({
      firstName: 'Zoë',
      lastName: 'Ødegård',
      phones: [],
    });
    expect(nameKey).toBe('odegard zoe');
    expect(nameKey.startsWith(normalizeNameForSearch('ODEGA'))).toBe(true);
    expect(normalizeNameForSearch('Straße İlker')).toBe('strasse ilker');
  });

  it('keeps givenNameKey local: stripped for the server, derived again from the names on pull', () => {
    const local = { ...sampleDocument('patients'), firstName: 'Maria', lastName: 'Silva' };
    const server = patientForServer({ ...local, givenNameKey: 'stale' });
    expect(server).not.toHaveProperty('givenNameKey');
    expect(patientForServer(server)).toBe(server);
    expect(patientFromServer(server)).toEqual({ ...server, givenNameKey: 'maria silva' });
    // A pulled document never keeps a key another workstation left stale.
    expect(patientFromServer({ ...server, givenNameKey: 'stale' }).givenNameKey).toBe(
      'maria silva',
    );
  });

  it('fills givenNameKey in the version 1 migration step', async () => {
    const { givenNameKey: _key, ...v0 } = sampleDocument('patients');
    const step = collectionMigrationStrategies.patients[1];
    expect(step).toBeDefined();
    const migrated = (await step?.(v0, undefined as never)) as Record<string, unknown>;
    expect(migrated).toEqual({
      ...v0,
      givenNameKey: normalizeNameForSearch(`${v0.firstName} ${v0.lastName}`),
    });
  });
});
