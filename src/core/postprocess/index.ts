export { connectedComponents } from './connectedComponents.ts';
export { removeSmallComponents } from './removeSmallComponents.ts';
export { smallEtToNcr } from './smallEtToNcr.ts';
export { DEFAULT_POSTPROCESS, postprocessLabels, type PostprocessOptions } from './postprocessLabels.ts';
