// Shared by the patients screens' tests: the area mounted where the Shell mounts it.
import { Route } from 'wouter';
import { renderWithCore, type RealCore } from '../../../test-support/real-core';
import PatientsArea from '../PatientsArea';

export function renderPatients(core: RealCore, path = '/patients') {
  return renderWithCore(
    core,
    <Route path="/patients" nest>
      <PatientsArea />
    </Route>,
    path,
  );
}
