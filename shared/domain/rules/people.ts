// How a patient is named on screens and in lists: the preferred name when set. One function for
// the core's read models and the renderer, so a name never reads two ways.
import type { Patient } from '../schemas/index';

export function displayName(patient: Pick<Patient, 'firstName' | 'lastName' | 'preferredName'>) {
  const first = patient.preferredName?.trim() ? patient.preferredName.trim() : patient.firstName;
  return `${first} ${patient.lastName}`;
}
