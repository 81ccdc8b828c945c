// The pure clinic domain rules. Safe for every process, the renderer included: no I/O, no Node.
export * from './instant';
export * from './overlap';
export * from './appointment-status';
export * from './ledger';
export * from './cdt';
export * from './teeth';
export * from './surfaces';
