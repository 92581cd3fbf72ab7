export { klAlignmentLoss } from './klAlignmentLoss.ts';
export { statsSliceBatch, statsSliceIndices } from './statsSlices.ts';
export { ADAPT_MODES, adaptableParameterNames, parseMode, type AdaptMode, type AdaptSettings, type OptimizerName } from './modes.ts';
export { adaptCase, disposeAdaptation, type Adaptation, type AdaptCallbacks, type BudgetChoice } from './adaptCase.ts';
export { DEFAULT_SETTINGS } from './defaults.ts';
export { registerWasmConv2dBackpropFilter } from './wasmConv2dBackpropFilter.ts';
export { registerWasmSharedIdentity } from './wasmSharedIdentity.ts';
export { adaptAndSegment, type AdaptationReport, type AdaptAndSegmentOptions } from './adaptAndSegment.ts';
export { convInputGradient, registerConvGradients } from './convGradients.ts';
