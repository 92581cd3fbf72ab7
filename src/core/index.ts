/** Public surface of core: one obvious entry point per capability. */
export * from './inputIssue.ts';
export * from './volume/index.ts';
export * from './modality/index.ts';
export * from './labels/index.ts';
export * from './validation/index.ts';
export * from './case/index.ts';
export * from './preprocess/index.ts';
export * from './metrics/index.ts';
export * from './postprocess/index.ts';
export * from './synthetic/index.ts';
export * from './memory/index.ts';
export * from './orientation/index.ts';
