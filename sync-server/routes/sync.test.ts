import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionName, DocumentOf } from '../../shared/domain/schemas/index';
import { sampleDocument } from '../../shared/domain/schemas/samples';
import { newId } from '../../shared/domain/ids';
import type { StaffRole } from '../../shared/domain/enums';
import type { ReplicatedDocument } from '../store/types';
import {
  createTestClinic,
  loginAs,
  postJson,
  startTestServer,
  type TestClinic,
  type TestServer,
} from '../test-support/harness';
import {
  REFUSED_COUNT_HEADER,
  REFUSED_HEADER,
  type RefusedPushRow as RefusedRowReport,
} from '../../shared/sync/protocol';

let server: TestServer;
let clinic: TestClinic;
const tokens = {} as Record<StaffRole, string>;

beforeAll(async () => {
  server = await startTestServer();
  clinic = await createTestClinic(server.store);
  for (const role of ['admin', 'dentist', 'hygienist', 'front_desk'] as const) {
    tokens[role] = (await loginAs(server, clinic, role)).accessToken;
  }
});
afterAll(() => server.close());

function doc<C extends CollectionName>(
  collection: C,
  changes: Partial<DocumentOf<C>> = {},
): ReplicatedDocument {
  return {
    ...sampleDocument(collection),
    id: newId(),
    clinicId: clinic.clinic.id,
    ...changes,
    _deleted: false,
  } as ReplicatedDocument;
}

interface PushAnswer {
  status: number;
  conflicts: ReplicatedDocument[];
  refused: RefusedRowReport[];
  refusedCount: number;
}

async function push(
  collection: string,
  rows: { newDocumentState: unknown; assumedMasterState?: unknown }[],
  role: StaffRole = 'admin',
): Promise<PushAnswer> {
  const response = await postJson(`${server.url}/v1/sync/${collection}/push`, rows, tokens[role]);
  const header = response.headers.get(REFUSED_HEADER);
  return {
    status: response.status,
    conflicts: (await response.json()) as ReplicatedDocument[],
    refused: header ? (JSON.parse(header) as RefusedRowReport[]) : [],
    refusedCount: Number(response.headers.get(REFUSED_COUNT_HEADER) ?? '0'),
  };
}

async function pullAll(collection: string, role: StaffRole = 'admin') {
  const response = await postJson(
    `${server.url}/v1/sync/${collection}/pull`,
    { checkpoint: null, limit: 1000 },
    tokens[role],
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    documents: ReplicatedDocument[];
    checkpoint: { seq: number };
  };
}

describe('push and pull', () => {
  it('stores documents exactly as pushed and pulls them back with a sequence checkpoint', async () => {
    const patient = doc('patients');
    const answer = await push('patients', [{ newDocumentState: patient }]);
    expect(answer).toMatchObject({ status: 200, conflicts: [], refused: [] });
    const pulled = await pullAll('patients');
    expect(pulled.documents).toContainEqual(patient);
    expect(pulled.checkpoint.seq).toBeGreaterThan(0);
    const again = await postJson(
      `${server.url}/v1/sync/patients/pull`,
      { checkpoint: pulled.checkpoint, limit: 10 },
      tokens.admin,
    );
    expect(await again.json()).toEqual({ documents: [], checkpoint: pulled.checkpoint });
  });

  it('answers a stale assumed master with the exact stored state and does not apply it', async () => {
    const original = doc('operatories');
    await push('operatories', [{ newDocumentState: original }]);
    const stored = { ...original, name: 'Chair 9' };
    expect(
      (await push('operatories', [{ newDocumentState: stored, assumedMasterState: original }]))
        .conflicts,
    ).toEqual([]);
    const stale = { ...original, name: 'Chair 7' };
    const answer = await push('operatories', [
      { newDocumentState: stale, assumedMasterState: original },
    ]);
    expect(answer.conflicts).toEqual([stored]);
    expect(answer.refused).toEqual([]);
    const [current] = await server.store.getDocuments(clinic.clinic.id, 'operatories', [
      original['id'] as string,
    ]);
    expect(current).toEqual(stored);
  });

  it('refuses an invalid row with a message and still applies the others', async () => {
    const good = doc('patients');
    const bad: ReplicatedDocument = { ...doc('patients'), birthDate: 'yesterday' };
    const alsoGood = doc('patients');
    const answer = await push('patients', [
      { newDocumentState: good },
      { newDocumentState: bad },
      { newDocumentState: alsoGood },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.conflicts).toEqual([]);
    expect(answer.refusedCount).toBe(1);
    expect(answer.refused).toHaveLength(1);
    expect(answer.refused[0]).toMatchObject({ index: 1, id: bad['id'] });
    expect(answer.refused[0]?.message).toMatch(/birth date/i);
    expect(answer.refused[0]?.issues?.[0]?.field).toBe('birthDate');
    const stored = await server.store.getDocuments(clinic.clinic.id, 'patients', [
      good['id'] as string,
      bad['id'] as string,
      alsoGood['id'] as string,
    ]);
    expect(stored.map((row) => row['id']).sort()).toEqual([good['id'], alsoGood['id']].sort());
  });

  it('refuses a document of another clinic and a document without a text id', async () => {
    const foreign = { ...doc('patients'), clinicId: newId() };
    const answer = await push('patients', [
      { newDocumentState: foreign },
      { newDocumentState: { ...doc('patients'), id: 42 } },
    ]);
    expect(answer.refused.map((row) => row.index)).toEqual([0, 1]);
    expect(answer.refused[0]?.message).toMatch(/another clinic/);
    expect(answer.refused[1]?.message).toMatch(/"id"/);
  });

  it('answers 404 for an unknown collection and 400 for a malformed batch', async () => {
    const unknown = await postJson(`${server.url}/v1/sync/secrets/push`, [], tokens.admin);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/no collection/);
    const unknownPull = await postJson(
      `${server.url}/v1/sync/secrets/pull`,
      { checkpoint: null, limit: 1 },
      tokens.admin,
    );
    expect(unknownPull.status).toBe(404);
    const malformed = await postJson(
      `${server.url}/v1/sync/patients/push`,
      { rows: [] },
      tokens.admin,
    );
    expect(malformed.status).toBe(400);
    const badLimit = await postJson(
      `${server.url}/v1/sync/patients/pull`,
      { checkpoint: { seq: -1 }, limit: 0 },
      tokens.admin,
    );
    expect(badLimit.status).toBe(400);
    const body = (await badLimit.json()) as { issues: { field: string }[] };
    expect(body.issues.map((issue) => issue.field)).toEqual(expect.arrayContaining(['limit']));
  });

  it('answers unknown routes with a 404 JSON body', async () => {
    const response = await fetch(`${server.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('role and immutability rules', () => {
  it('a signed clinical note cannot change or be deleted; the refusal returns the master', async () => {
    const signed = doc('clinical_notes', {
      status: 'signed',
      signedAt: '2024-03-21T15:00:00.000Z',
      signedBy: clinic.users.dentist.id,
    });
    expect(
      (await push('clinical_notes', [{ newDocumentState: signed }], 'dentist')).refused,
    ).toEqual([]);
    const edited = { ...signed, body: 'Changed afterwards.' };
    const answer = await push(
      'clinical_notes',
      [{ newDocumentState: edited, assumedMasterState: signed }],
      'admin',
    );
    expect(answer.refused[0]?.message).toMatch(/signed clinical note cannot change/);
    expect(answer.conflicts).toEqual([signed]);
    const deleted = await push(
      'clinical_notes',
      [{ newDocumentState: { ...signed, _deleted: true }, assumedMasterState: signed }],
      'dentist',
    );
    expect(deleted.refused).toHaveLength(1);
  });

  it('front desk cannot sign notes or record completed procedures; a dentist can', async () => {
    const note = doc('clinical_notes', {
      status: 'signed',
      signedAt: '2024-03-21T15:00:00.000Z',
      signedBy: clinic.users.front_desk.id,
    });
    const frontDeskNote = await push('clinical_notes', [{ newDocumentState: note }], 'front_desk');
    expect(frontDeskNote.refused[0]?.message).toMatch(/Front desk staff cannot sign/);
    const procedure = doc('procedures', { status: 'completed' });
    const frontDeskProcedure = await push(
      'procedures',
      [{ newDocumentState: procedure }],
      'front_desk',
    );
    expect(frontDeskProcedure.refused[0]?.message).toMatch(/completed procedures/);
    const planned = doc('procedures', { status: 'planned' });
    expect(
      (await push('procedures', [{ newDocumentState: planned }], 'front_desk')).refused,
    ).toEqual([]);
    expect(
      (await push('procedures', [{ newDocumentState: procedure }], 'dentist')).refused,
    ).toEqual([]);
  });

  it('the ledger is append-only for every role; re-pushing the same entry is harmless', async () => {
    const entry = doc('ledger_entries');
    expect(
      (await push('ledger_entries', [{ newDocumentState: entry }], 'dentist')).refused,
    ).toEqual([]);
    expect(
      (await push('ledger_entries', [{ newDocumentState: entry, assumedMasterState: entry }]))
        .refused,
    ).toEqual([]);
    for (const role of ['dentist', 'hygienist', 'admin'] as const) {
      const removed = await push(
        'ledger_entries',
        [{ newDocumentState: { ...entry, _deleted: true }, assumedMasterState: entry }],
        role,
      );
      expect(removed.refused[0]?.message).toMatch(/cannot be changed or deleted/);
      expect(removed.conflicts).toEqual([entry]);
    }
    const changed = await push('ledger_entries', [
      { newDocumentState: { ...entry, amountCents: 1 }, assumedMasterState: entry },
    ]);
    expect(changed.refused).toHaveLength(1);
  });

  it('audit events are append-only and the staff list is read-only for clients', async () => {
    const event = doc('audit_events');
    await push('audit_events', [{ newDocumentState: event }]);
    const changed = await push('audit_events', [
      { newDocumentState: { ...event, action: 'patient.edit' }, assumedMasterState: event },
    ]);
    expect(changed.refused[0]?.message).toMatch(/Audit events cannot/);
    const staff = await push('staff', [{ newDocumentState: doc('staff') }]);
    expect(staff.refused[0]?.message).toMatch(/managed by the server/);
  });
});
