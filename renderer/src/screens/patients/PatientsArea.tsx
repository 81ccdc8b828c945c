// The patients area, routed by the Shell at /patients with `nest`, so paths here are relative:
// the search list, registration, one patient's record and its edit form.
import { Route, Switch } from 'wouter';
import { EditPatient, NewPatient } from './PatientForm';
import { PatientRecordScreen } from './PatientRecord';
import { PatientSearch } from './PatientSearch';
import './patients.css';

export default function PatientsArea() {
  return (
    <Switch>
      <Route path="/" component={PatientSearch} />
      <Route path="/new" component={NewPatient} />
      <Route path="/:id/edit">{(params) => <EditPatient patientId={params.id} />}</Route>
      <Route path="/:id">{(params) => <PatientRecordScreen patientId={params.id} />}</Route>
    </Switch>
  );
}
