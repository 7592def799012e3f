/** Distribution domain (issue 3): pure, no SDK, no I/O, clock as a parameter. */
export * from './settings';
export * from './codes';
export * from './binding';
export * from './commission';
export * from './ledger';
export * from './settlement';
export * from './withdrawal';
export * from './levels';
export * from './compliance';
