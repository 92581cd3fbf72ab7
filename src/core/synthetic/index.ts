export { makeSyntheticCase, type SyntheticCase, type SyntheticCaseOptions } from './syntheticCase.ts';
export { mulberry32, gaussian } from './random.ts';
