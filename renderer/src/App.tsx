// The screens arrive with the renderer issue; until then the shell says what it is.
export function App() {
  return (
    <main>
      <h1>TopSmile</h1>
      <p>The clinic screens are not built yet.</p>
    </main>
  );
}
