// Deliberately bad: main/core is plain Node and must run without Electron.
import { app } from 'electron';
export const value = app;
