export { BRATS_LABELS, ALLOWED_LABEL_VALUES, type BratsLabelKey } from './bratsLabels.ts';
