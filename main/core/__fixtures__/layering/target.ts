// A stand-in for any main/core module; the layering fixtures import it.
export const coreValue = 1;
