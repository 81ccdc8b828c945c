// Test fixture: stands in for Electron's `process.parentPort` in a plain Node child, bridged to
// the child's IPC channel, so core-process.ts runs its desktop mode under test. MessagePorts
// cannot cross Node's IPC, so `ports` is always empty here.
const proc = process as unknown as { parentPort?: unknown };
proc.parentPort = {
  on(event: string, listener: (event: { data: unknown; ports: unknown[] }) => void) {
    if (event === 'message') process.on('message', (data) => listener({ data, ports: [] }));
  },
  postMessage(message: unknown) {
    process.send?.(message);
  },
};
