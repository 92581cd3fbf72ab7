export type { CropBox, IndexRange, ModalityStats, PreprocessedCase } from './types.ts';
export { preprocess, sliceInput, type ScanVolume } from './preprocess.ts';
export { uncrop, uncropLabels } from './uncrop.ts';
export { brainMask, maskBoundingBox } from './brainMask.ts';
export { cropBoxFor, padRange, IN_PLANE_MULTIPLE } from './cropBox.ts';
export { modalityStats } from './modalityStats.ts';
