export * from './contract';
export * from './views';
export * from './protocol';
export * from './client';
// validate-input.ts is imported directly by the core: it compiles schemas with ajv (new Function),
// which the renderer's strict CSP forbids, so it stays out of this index.
