// Allowed: the renderer may use shared/ types and pure helpers.
import { sharedValue } from '../../../shared/__fixtures__/layering/target';
export const value = sharedValue;
