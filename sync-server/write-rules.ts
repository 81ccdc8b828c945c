// Who may write what, checked on every push against the stored state (the store's WriteGuard).
// Decisions:
// - The ledger is append-only for everyone, admins included: an entry is inserted once and
//   never changed or deleted; a mistake is corrected by a new (reversing) entry.
// - Audit events are append-only the same way.
// - A signed clinical note never changes again, deletion included; amendments are new notes.
// - Front desk staff cannot sign notes and cannot write a procedure whose status is completed.
// - The staff list is read-only for clients (see collections.ts: refused before the store).
// Writing a document exactly as stored is always allowed: re-pushing unchanged data is harmless.
import { isDeepStrictEqual } from 'node:util';
import type { Principal } from './auth/tokens';
import type { ReplicatedDocument, WriteGuard } from './store/types';

type Rule = (
  principal: Principal,
  next: ReplicatedDocument,
  current: ReplicatedDocument | undefined,
) => string | undefined;

function appendOnly(message: string): Rule {
  return (_principal, next, current) => {
    if (current !== undefined) return message;
    if (next._deleted) return message;
    return undefined;
  };
}

const RULES: Readonly<Record<string, readonly Rule[]>> = {
  ledger_entries: [
    appendOnly('Ledger entries cannot be changed or deleted; post a correcting entry instead.'),
  ],
  audit_events: [appendOnly('Audit events cannot be changed or deleted.')],
  clinical_notes: [
    (_principal, _next, current) =>
      current?.['status'] === 'signed'
        ? 'A signed clinical note cannot change; write an amendment as a new note.'
        : undefined,
    (principal, next) =>
      principal.role === 'front_desk' && next['status'] === 'signed'
        ? 'Front desk staff cannot sign clinical notes.'
        : undefined,
  ],
  procedures: [
    (principal, next) =>
      principal.role === 'front_desk' && next['status'] === 'completed'
        ? 'Front desk staff cannot record completed procedures.'
        : undefined,
  ],
};

/** The guard for one caller pushing to one collection. */
export function writeGuardFor(principal: Principal, collection: string): WriteGuard {
  const rules = RULES[collection] ?? [];
  return (row, current) => {
    if (current !== undefined && isDeepStrictEqual(row.newDocumentState, current)) return undefined;
    for (const rule of rules) {
      const refusal = rule(principal, row.newDocumentState, current);
      if (refusal !== undefined) return refusal;
    }
    return undefined;
  };
}
