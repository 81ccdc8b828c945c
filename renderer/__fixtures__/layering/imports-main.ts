// Deliberately bad: the renderer never imports main/.
import { coreValue } from '../../../main/core/__fixtures__/layering/target';
export const value = coreValue;
