// Deliberately bad: the sync server shares code with the desktop only through shared/.
import { coreValue } from '../../../main/core/__fixtures__/layering/target';
export const value = coreValue;
