// Deliberately bad: shared/ must never import electron.
import { app } from 'electron';
export const value = app;
