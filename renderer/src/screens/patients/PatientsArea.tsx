// Placeholder until the patient screens land.
export default function PatientsArea() {
  return <h1>Patients</h1>;
}
