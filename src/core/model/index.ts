export { CONTRACT_VERSION, MODEL_FORMAT, type Architecture, type ModelManifest } from './contract.ts';
export { decodeModel, disposeModel, expectedShapes, type AttuneModel } from './decodeModel.ts';
export { forwardNetwork, type BnMoments, type ForwardOptions, type ForwardResult, type ModelWeights } from './network.ts';
export { segmentCase, type Segmentation, type SegmentOptions, type Uncertainty } from './segmentCase.ts';
export { convBnLayerNames } from './layers.ts';
export { weightsChecksum } from './weightsChecksum.ts';
export { brainMaskOf, entropyMap } from './pixelMaps.ts';
