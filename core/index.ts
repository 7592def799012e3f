/** The pure domain core: no SDK, no I/O, no clock reads. */
export * from './errors';
export * from './money';
export * from './time';
export * from './order-state';
export * from './after-sale';
export * from './pricing';
export * from './distribution';
