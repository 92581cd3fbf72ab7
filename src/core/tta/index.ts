export { klAlignmentLoss, klToReference, runningReference, type BnReference } from './klAlignmentLoss.ts';
export { statsSliceBatch, statsSliceIndices } from './statsSlices.ts';
export {
  ADAPT_MODES, LAYER_SETS, MODE_RECIPES, PIXEL_SETS, isGradientMode, parseLayerSet, parseMode, parsePixelSet, plotsEntropyCurve,
  type AdaptMode, type AdaptSettings, type LayerSet, type ModeRecipe, type OptimizerName, type PixelSet,
} from './modes.ts';
export { adaptableParameterNames, layersOf, shallowLayers } from './parameters.ts';
export { makeStatsBatch, type StatsBatch } from './statsBatch.ts';
export { BN_MIX_ALPHAS, bnMixGrid } from './bnMix.ts';
export { adaptCase, disposeAdaptation, type Adaptation, type AdaptCallbacks, type BudgetChoice } from './adaptCase.ts';
export { DEFAULT_SETTINGS } from './defaults.ts';
export { registerWasmConv2dBackpropFilter } from './wasmConv2dBackpropFilter.ts';
export { registerWasmSharedIdentity } from './wasmSharedIdentity.ts';
export { adaptAndSegment, type AdaptationReport, type AdaptAndSegmentOptions } from './adaptAndSegment.ts';
export { convInputGradient, registerConvGradients } from './convGradients.ts';
