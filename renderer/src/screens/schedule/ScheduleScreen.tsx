// Placeholder until the schedule screen lands.
export default function ScheduleScreen() {
  return <h1>Schedule</h1>;
}
