export { BRATS_LABELS, type BratsLabelKey } from './bratsLabels.ts';
export {
  LABEL_CONVENTIONS,
  INTERNAL_CONVENTION,
  detectLabelConvention,
  toInternalLabels,
  fromInternalLabels,
  parseLabelConvention,
  exportConvention,
  type ExportLabelsChoice,
  type LabelConvention,
  type LabelConventionGuess,
} from './labelConventions.ts';
