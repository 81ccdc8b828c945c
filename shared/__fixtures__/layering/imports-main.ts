// Deliberately bad: shared/ must not reach into main/.
import { coreValue } from '../../../main/core/__fixtures__/layering/target';
export const value = coreValue;
