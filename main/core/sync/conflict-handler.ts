// The RxDB conflict handler of every clinic collection. RxDB calls `resolve` when the server
// answers a push with its real master state (someone else wrote the document since our assumed
// master, or the server refused our row): we merge field by field against the assumed master
// (merge.ts), log every clash locally, and return what RxDB writes to the fork and pushes again.
import type { RxConflictHandler, RxConflictHandlerInput, WithDeleted } from 'rxdb';
import { defaultConflictHandler } from 'rxdb';
import type { ConflictLog } from './conflict-log';
import { mergeDocuments, sameValue, type FieldClash, type PlainDocument } from './merge';

export interface ConflictHandlerHooks {
  readonly log: ConflictLog;
  /** The server refused our row for this document in the push being resolved (consumed). */
  readonly takeRefused: (collection: string, documentId: string) => boolean;
  /** A free-text field of ours lost: keep it somewhere visible (a draft note copy). */
  readonly onTextLost?: (
    collection: string,
    local: PlainDocument,
    server: PlainDocument,
    field: string,
  ) => void;
  /** Clashes this workstation lost: tell the others (the winner logs them too). */
  readonly onClashesLost?: (
    collection: string,
    documentId: string,
    clashes: readonly FieldClash[],
  ) => void;
}

/** Free text that is never merged: when ours loses, a visible copy is kept (DESIGN.md). */
export const PROTECTED_TEXT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  clinical_notes: ['body'],
};

/** Every field where `local` differs from `server`, as clashes the server wins. */
function refusedClashes(local: PlainDocument, server: PlainDocument): FieldClash[] {
  const fields = new Set([...Object.keys(local), ...Object.keys(server)]);
  const clashes: FieldClash[] = [];
  for (const field of fields) {
    if (field === 'updatedAt' || field === 'updatedBy' || field.startsWith('_')) continue;
    if (!sameValue(local[field], server[field])) {
      clashes.push({ field, localValue: local[field], serverValue: server[field] });
    }
  }
  return clashes;
}

export function createConflictHandler<RxDocType>(
  collection: string,
  hooks: ConflictHandlerHooks,
): RxConflictHandler<RxDocType> {
  return {
    // RxDB's deep equality: the server stores documents exactly as pushed, so it agrees.
    isEqual: defaultConflictHandler.isEqual as RxConflictHandler<RxDocType>['isEqual'],
    resolve(input: RxConflictHandlerInput<RxDocType>): Promise<WithDeleted<RxDocType>> {
      const local = input.newDocumentState as unknown as PlainDocument;
      const server = input.realMasterState as unknown as PlainDocument;
      const base = input.assumedMasterState as unknown as PlainDocument | undefined;
      const documentId = String(server['id'] ?? local['id']);

      const refused = hooks.takeRefused(collection, documentId);
      // A refused row would be refused again: the server's state stands, ours goes to the log.
      const merge = refused ? undefined : mergeDocuments(collection, base, local, server);
      const clashes = merge ? merge.clashes : refusedClashes(local, server);
      const resolved = merge ? merge.document : server;

      const logged = clashes.filter(
        (clash) =>
          hooks.log.record({
            collection,
            documentId,
            field: clash.field,
            localValue: clash.localValue,
            serverValue: clash.serverValue,
            origin: refused ? 'refused' : 'merge',
          }) !== null,
      );
      for (const field of PROTECTED_TEXT_FIELDS[collection] ?? []) {
        if (logged.some((clash) => clash.field === field)) {
          hooks.onTextLost?.(collection, local, server, field);
        }
      }
      if (!refused && logged.length > 0) hooks.onClashesLost?.(collection, documentId, logged);
      return Promise.resolve(resolved as unknown as WithDeleted<RxDocType>);
    },
  };
}
