import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeDocuments, sameValue, type PlainDocument } from './merge';

const base = {
  id: 'n1',
  updatedAt: '2024-01-01T10:00:00.000Z',
  updatedBy: 'u0',
  title: 'a',
  count: 1,
  tags: ['x'],
  _deleted: false,
};

function edit(
  doc: PlainDocument,
  change: Record<string, unknown>,
  at: string,
  by: string,
): PlainDocument {
  return { ...doc, ...change, updatedAt: at, updatedBy: by };
}

describe('mergeDocuments', () => {
  it('keeps one-sided changes from each side and gives a same-field clash to the server', () => {
    const local = edit(base, { title: 'mine', count: 2 }, '2024-01-01T11:00:00.000Z', 'u1');
    const server = edit(base, { title: 'theirs', tags: ['y'] }, '2024-01-01T10:30:00.000Z', 'u2');
    const result = mergeDocuments('things', base, local, server);
    expect(result.document).toMatchObject({ title: 'theirs', count: 2, tags: ['y'] });
    expect(result.document.updatedAt).toBe('2024-01-01T11:00:00.000Z');
    expect(result.clashes).toEqual([{ field: 'title', localValue: 'mine', serverValue: 'theirs' }]);
    expect(result.equalsServer).toBe(false);
  });

  it('answers the server state itself when nothing of ours survives', () => {
    const local = edit(base, { title: 'mine' }, '2024-01-01T11:00:00.000Z', 'u1');
    const server = edit(base, { title: 'theirs' }, '2024-01-01T10:30:00.000Z', 'u2');
    const result = mergeDocuments('things', base, local, server);
    expect(result.document).toBe(server);
    expect(result.equalsServer).toBe(true);
    // Both sides wrote the same value: no clash at all.
    const same = edit(base, { title: 'theirs' }, '2024-01-01T11:00:00.000Z', 'u1');
    expect(mergeDocuments('things', base, same, server).clashes).toEqual([]);
  });

  it('never buries an edit in a deletion, nor undoes a deletion silently', () => {
    const edited = edit(base, { count: 5 }, '2024-01-01T11:00:00.000Z', 'u1');
    const deleted = { ...base, _deleted: true };
    const serverDeleted = mergeDocuments('things', base, edited, deleted);
    expect(serverDeleted.document._deleted).toBe(true);
    expect(serverDeleted.clashes).toContainEqual({
      field: '_deleted',
      localValue: false,
      serverValue: true,
    });
    const localDeleted = mergeDocuments('things', base, deleted, edited);
    expect(localDeleted.document._deleted).toBe(false);
    expect(localDeleted.document['count']).toBe(5);
    expect(localDeleted.clashes.map((clash) => clash.field)).toEqual(['_deleted']);
    // A deletion against an untouched server document simply stands.
    const plain = mergeDocuments('things', base, deleted, base);
    expect(plain.document._deleted).toBe(true);
    expect(plain.clashes).toEqual([]);
  });

  it('recomputes a patient’s search keys instead of merging them', () => {
    const patient = {
      id: 'p1',
      updatedAt: '2024-01-01T10:00:00.000Z',
      updatedBy: 'u0',
      firstName: 'Ana',
      lastName: 'Souza',
      phones: [{ kind: 'mobile', number: '111' }],
      nameKey: 'souza ana',
      phoneKey: '111',
      _deleted: false,
    };
    const local = { ...patient, lastName: 'Lima', nameKey: 'lima ana' };
    const server = { ...patient, firstName: 'Bia', nameKey: 'souza bia' };
    const result = mergeDocuments('patients', patient, local, server);
    expect(result.clashes).toEqual([]);
    expect(result.document).toMatchObject({
      firstName: 'Bia',
      lastName: 'Lima',
      nameKey: 'lima bia',
    });
  });

  it('with no common base, every differing field is a clash the server wins', () => {
    const local = edit(base, { title: 'mine' }, '2024-01-01T11:00:00.000Z', 'u1');
    const server = edit(base, { count: 9 }, '2024-01-01T10:30:00.000Z', 'u2');
    const result = mergeDocuments('things', undefined, local, server);
    expect(result.document).toBe(server);
    expect(result.clashes.map((clash) => clash.field).sort()).toEqual(['count', 'title']);
  });

  it('property: one-sided changes survive, clashes are exactly the fields both changed differently', () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: 0, max: 3 }),
      fc.constantFrom('a', 'b'),
    );
    const doc = fc.record({ f1: value, f2: value, f3: value, f4: value });
    fc.assert(
      fc.property(doc, doc, doc, (rawBase, rawLocal, rawServer) => {
        const clean = (d: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
        const b = { id: 'd', ...clean(rawBase), _deleted: false };
        const l = { id: 'd', ...clean(rawLocal), _deleted: false };
        const s = { id: 'd', ...clean(rawServer), _deleted: false };
        const result = mergeDocuments('things', b, l, s);
        const clashed = new Set(result.clashes.map((clash) => clash.field));
        for (const field of ['f1', 'f2', 'f3', 'f4']) {
          const localChanged = !sameValue(b[field as never], l[field as never]);
          const serverChanged = !sameValue(b[field as never], s[field as never]);
          const merged = (result.document as Record<string, unknown>)[field];
          const differ = !sameValue(l[field as never], s[field as never]);
          expect(clashed.has(field)).toBe(localChanged && serverChanged && differ);
          if (serverChanged) expect(sameValue(merged, s[field as never])).toBe(true);
          else if (localChanged) expect(sameValue(merged, l[field as never])).toBe(true);
          else expect(sameValue(merged, b[field as never])).toBe(true);
        }
      }),
    );
  });
});
