// Placeholder until the dentist's day lands.
export default function DentistDayScreen() {
  return <h1>My day</h1>;
}
