// A stand-in for any shared module; the layering fixtures import it.
export const sharedValue = 1;
