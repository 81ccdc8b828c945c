// Deliberately bad: the renderer has no Node built-ins; it talks to window.topsmile.
import { readFileSync } from 'node:fs';
export const value = readFileSync;
