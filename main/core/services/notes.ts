// Clinical notes: drafts can change, signed notes never do. A change to a signed note is an
// amendment, a new signed note that links to the one it amends.
import type { InputOf } from '../../../shared/api/contract';
import type { Created, Done } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import type { ClinicalNote } from '../../../shared/domain/schemas/index';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError, type ServiceTable } from '../service-table';
import {
  audit,
  getDocument,
  insertDocument,
  updateDocument,
  type ServiceScope,
  type Services,
} from './context';

const SIGNED_IS_FINAL = 'This note is signed and cannot change; amend it instead.';

function assertDraft(note: ClinicalNote): void {
  if (note.status !== 'draft') throw new ServiceError('conflict', SIGNED_IS_FINAL);
}

/** The provider a note is written by: the signed-in clinician, else the visit's provider. */
async function authoringProvider(
  scope: ServiceScope,
  appointmentId: string | undefined,
): Promise<string> {
  if (scope.user.providerId) return scope.user.providerId;
  if (appointmentId !== undefined) {
    return (await getDocument(scope.db, 'appointments', appointmentId)).providerId;
  }
  throw new ServiceError('forbidden', 'Only a user who is a provider can write clinical notes.');
}

async function assertVisitOfPatient(
  scope: ServiceScope,
  appointmentId: string | undefined,
  patientId: string,
): Promise<void> {
  if (appointmentId === undefined) return;
  const appointment = await getDocument(scope.db, 'appointments', appointmentId);
  if (appointment.patientId !== patientId) {
    throw new ValidationError([
      { field: 'appointmentId', message: 'appointment must be one of this patient’s visits' },
    ]);
  }
}

async function saveDraft(scope: ServiceScope, input: InputOf<'notes.saveDraft'>): Promise<Created> {
  await getDocument(scope.db, 'patients', input.patientId);
  await assertVisitOfPatient(scope, input.appointmentId, input.patientId);
  if (input.noteId !== undefined) {
    const current = await getDocument(scope.db, 'clinical_notes', input.noteId);
    if (current.patientId !== input.patientId) {
      throw new ValidationError([
        { field: 'patientId', message: 'patient must be the patient the note is about' },
      ]);
    }
    await updateDocument(scope.db, 'clinical_notes', input.noteId, (latest) => {
      assertDraft(latest);
      return {
        ...latest,
        ...scope.stamp,
        body: input.body,
        ...(input.appointmentId !== undefined ? { appointmentId: input.appointmentId } : {}),
      };
    });
    await audit(scope, 'notes.saveDraft', [{ entity: 'clinical_notes', entityId: input.noteId }]);
    return { id: input.noteId };
  }
  const note: ClinicalNote = {
    id: newId(),
    ...scope.stamp,
    patientId: input.patientId,
    ...(input.appointmentId !== undefined ? { appointmentId: input.appointmentId } : {}),
    providerId: await authoringProvider(scope, input.appointmentId),
    body: input.body,
    status: 'draft',
    createdAt: scope.now,
  };
  await insertDocument(scope.db, 'clinical_notes', note);
  await audit(scope, 'notes.saveDraft', [{ entity: 'clinical_notes', entityId: note.id }]);
  return { id: note.id };
}

async function sign(scope: ServiceScope, input: InputOf<'notes.sign'>): Promise<Done> {
  await updateDocument(scope.db, 'clinical_notes', input.noteId, (latest) => {
    assertDraft(latest);
    if (scope.user.providerId && scope.user.providerId !== latest.providerId) {
      throw new ServiceError('forbidden', 'Only the note’s own provider can sign it.');
    }
    return {
      ...latest,
      ...scope.stamp,
      status: 'signed',
      signedAt: scope.now,
      signedBy: scope.user.id,
    };
  });
  await audit(scope, 'notes.sign', [{ entity: 'clinical_notes', entityId: input.noteId }]);
  return { done: true };
}

async function amend(scope: ServiceScope, input: InputOf<'notes.amend'>): Promise<Created> {
  const original = await getDocument(scope.db, 'clinical_notes', input.noteId);
  if (original.status !== 'signed') {
    throw new ServiceError('conflict', 'Only a signed note is amended; edit the draft instead.');
  }
  // An amendment is final when written: it is signed by its author at once.
  const amendment: ClinicalNote = {
    id: newId(),
    ...scope.stamp,
    patientId: original.patientId,
    ...(original.appointmentId !== undefined ? { appointmentId: original.appointmentId } : {}),
    providerId: scope.user.providerId ?? original.providerId,
    body: input.body,
    status: 'signed',
    signedAt: scope.now,
    signedBy: scope.user.id,
    amendsNoteId: original.id,
    createdAt: scope.now,
  };
  await insertDocument(scope.db, 'clinical_notes', amendment);
  await audit(scope, 'notes.amend', [{ entity: 'clinical_notes', entityId: amendment.id }]);
  return { id: amendment.id };
}

export function noteHandlers(
  services: Services,
): Pick<ServiceTable, 'notes.saveDraft' | 'notes.sign' | 'notes.amend'> {
  return {
    'notes.saveDraft': async (input, context) => saveDraft(services.scope(context), input),
    'notes.sign': async (input, context) => sign(services.scope(context), input),
    'notes.amend': async (input, context) => amend(services.scope(context), input),
  };
}
