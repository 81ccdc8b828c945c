import { describe, expect, it } from 'vitest';
import { ID_MAX_LENGTH, isUuidV7, newId } from './ids';

describe('newId', () => {
  it('makes UUIDv7 ids that fit the id fields', () => {
    const id = newId();
    expect(isUuidV7(id)).toBe(true);
    expect(id).toHaveLength(ID_MAX_LENGTH);
  });

  it('makes ids that sort in creation order', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('tells v7 ids from other UUIDs', () => {
    expect(isUuidV7('6f1c2a7e-3b4d-4c5e-8f90-a1b2c3d4e5f6')).toBe(false);
    expect(isUuidV7('not-an-id')).toBe(false);
  });
});
