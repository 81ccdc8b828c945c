// Allowed: only the thin shell may import electron, and it may use the core.
import { app } from 'electron';
import { coreValue } from '../../../core/__fixtures__/layering/target';
export const value = [app, coreValue];
