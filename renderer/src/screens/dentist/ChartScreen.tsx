// Placeholder until the chart lands.
export default function ChartScreen({ patientId }: { patientId: string }) {
  return <h1>Chart {patientId.length}</h1>;
}
