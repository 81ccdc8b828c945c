import { v7 as uuidv7, validate as uuidValidate, version as uuidVersion } from 'uuid';

/** Every id in the domain fits in this many characters (a UUID in its 36-character text form). */
export const ID_MAX_LENGTH = 36;

/**
 * A new document id: UUIDv7, made on the workstation so records can be created offline.
 * Its leading timestamp makes ids of one device sort in creation order, which keeps
 * primary-key index inserts append-mostly.
 */
export function newId(): string {
  return uuidv7();
}

/** True for ids made by `newId()`. */
export function isUuidV7(value: string): boolean {
  return uuidValidate(value) && uuidVersion(value) === 7;
}
