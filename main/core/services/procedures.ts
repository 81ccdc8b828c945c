// Charting procedures. Teeth are canonical (FDI) ids; the screen converts from the workstation's
// notation before calling. Completing a procedure posts its charge through the ledger service.
import type { InputOf } from '../../../shared/api/contract';
import type { Created, Done } from '../../../shared/api/views';
import type { ProcedureStatus } from '../../../shared/domain/enums';
import { newId } from '../../../shared/domain/ids';
import { DEFAULT_PROCEDURE_LIST, type ProcedureListEntry } from '../../../shared/domain/rules/cdt';
import { InvalidSurfaceError, normalizeSurfaces } from '../../../shared/domain/rules/surfaces';
import { isToothId } from '../../../shared/domain/rules/teeth';
import type { Procedure } from '../../../shared/domain/schemas/index';
import { clinicDayOf } from '../../../shared/domain/time';
import { ValidationError } from '../../../shared/domain/validation';
import { ServiceError, type ServiceTable } from '../service-table';
import {
  audit,
  getDocument,
  insertDocument,
  updateDocument,
  type AuditedWrite,
  type ServiceScope,
  type Services,
} from './context';
import { postProcedureCharge } from './ledger';

/** The procedure list the clinic offers: its own when it has one. */
export function procedureList(services: Services): readonly ProcedureListEntry[] {
  return services.deps.procedureList?.() ?? DEFAULT_PROCEDURE_LIST;
}

/**
 * Where a procedure may go next. Completed and existing are final: a completed procedure has
 * been billed, so undoing it is a ledger reversal, not a status change.
 */
const PROCEDURE_TRANSITIONS: Readonly<Record<ProcedureStatus, readonly ProcedureStatus[]>> = {
  planned: ['completed', 'referred'],
  referred: ['planned', 'completed'],
  completed: [],
  existing: [],
};

/** Statuses that are billed by this clinic, so they need a fee. */
const BILLED_STATUSES: ReadonlySet<ProcedureStatus> = new Set(['planned', 'completed']);

/** The canonical tooth and surfaces, or the issues a person can fix. */
function toothAndSurfaces(
  toothInput: string | null | undefined,
  surfacesInput: string | undefined,
): { tooth: Procedure['tooth']; surfaces: string } {
  const typed = toothInput?.trim() ?? '';
  const surfacesTyped = surfacesInput ?? '';
  if (typed === '') {
    if (surfacesTyped.trim() !== '') {
      throw new ValidationError([
        { field: 'surfaces', message: 'surfaces need a tooth, like tooth 36 with surfaces MOD' },
      ]);
    }
    return { tooth: null, surfaces: '' };
  }
  if (!isToothId(typed)) {
    throw new ValidationError([
      { field: 'tooth', message: 'tooth must be an FDI tooth number, like 36 or 85' },
    ]);
  }
  try {
    return { tooth: typed, surfaces: normalizeSurfaces(typed, surfacesTyped) };
  } catch (error) {
    // The message names a surface letter and the kind of tooth, never patient data.
    if (error instanceof InvalidSurfaceError) {
      // Issues are sentence fragments; ValidationError adds the full stop.
      const message = error.message.replace(/\.$/, '');
      throw new ValidationError([{ field: 'surfaces', message }]);
    }
    throw error;
  }
}

function chargeDescription(services: Services, procedure: Procedure): string {
  const listed = procedureList(services).find((entry) => entry.code === procedure.cdtCode);
  return listed ? `${procedure.cdtCode} ${listed.description}` : procedure.cdtCode;
}

async function record(
  services: Services,
  scope: ServiceScope,
  input: InputOf<'procedures.record'>,
): Promise<Created> {
  // Completing treatment is a clinical act that bills the patient, as procedures.setStatus is:
  // the front desk may chart what is planned, existing or referred, not what was done.
  if (input.status === 'completed' && scope.user.role === 'front_desk') {
    throw new ServiceError(
      'forbidden',
      'Only a dentist, a hygienist or an administrator can record a completed procedure; record it as planned.',
    );
  }
  await getDocument(scope.db, 'patients', input.patientId);
  await getDocument(scope.db, 'providers', input.providerId);
  if (input.appointmentId !== undefined) {
    const appointment = await getDocument(scope.db, 'appointments', input.appointmentId);
    if (appointment.patientId !== input.patientId) {
      throw new ValidationError([
        { field: 'appointmentId', message: 'appointment must be one of this patient’s visits' },
      ]);
    }
  }
  const listed = procedureList(services).find((entry) => entry.code === input.cdtCode);
  const feeCents =
    input.feeCents ?? (BILLED_STATUSES.has(input.status) ? listed?.defaultFeeCents : 0);
  if (feeCents === undefined) {
    throw new ValidationError([
      { field: 'feeCents', message: 'fee is required for a procedure not on the list' },
    ]);
  }
  const procedure: Procedure = {
    id: newId(),
    ...scope.stamp,
    patientId: input.patientId,
    ...(input.appointmentId !== undefined ? { appointmentId: input.appointmentId } : {}),
    providerId: input.providerId,
    cdtCode: input.cdtCode,
    ...toothAndSurfaces(input.tooth, input.surfaces),
    status: input.status,
    feeCents,
    currency: services.currency(),
    date: input.date,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
  };
  await insertDocument(scope.db, 'procedures', procedure);
  const charge = await postProcedureCharge(
    services,
    scope,
    procedure,
    chargeDescription(services, procedure),
  );
  await audit(scope, 'procedures.record', [
    { entity: 'procedures', entityId: procedure.id },
    ...(charge ? [charge] : []),
  ]);
  return { id: procedure.id };
}

async function setStatus(
  services: Services,
  scope: ServiceScope,
  input: InputOf<'procedures.setStatus'>,
): Promise<Done> {
  const current = await getDocument(scope.db, 'procedures', input.procedureId);
  if (current.status === input.status) return { done: true }; // a repeated click changes nothing
  const change = (latest: Procedure): Procedure => {
    if (!PROCEDURE_TRANSITIONS[latest.status].includes(input.status)) {
      throw new ServiceError(
        'conflict',
        `A procedure cannot go from "${latest.status}" to "${input.status}".`,
      );
    }
    return {
      ...latest,
      ...scope.stamp,
      status: input.status,
      // Completed today, whatever day it was planned for.
      ...(input.status === 'completed'
        ? { date: clinicDayOf(scope.now, scope.context.timeZone) }
        : {}),
    };
  };
  const written = await updateDocument(scope.db, 'procedures', current.id, change);
  const charge: AuditedWrite | null = await postProcedureCharge(
    services,
    scope,
    written,
    chargeDescription(services, written),
  );
  await audit(scope, 'procedures.setStatus', [
    { entity: 'procedures', entityId: current.id },
    ...(charge ? [charge] : []),
  ]);
  return { done: true };
}

export function procedureHandlers(
  services: Services,
): Pick<ServiceTable, 'procedures.record' | 'procedures.setStatus'> {
  return {
    'procedures.record': async (input, context) => record(services, services.scope(context), input),
    'procedures.setStatus': async (input, context) =>
      setStatus(services, services.scope(context), input),
  };
}
