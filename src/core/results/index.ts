export { maskChanges, CHANGE_VALUES, type ChangeKind, type MaskChanges } from './maskChanges.ts';
export { describeSignalReading, SHIFT_SCORE_NOTE, SIGNAL_SHORT_NAMES, type SignalLevel, type SignalWords } from './signalWords.ts';
export { lossCurvesCsv, type CurveForCsv } from './lossCurvesCsv.ts';
export { caseStem } from './caseStem.ts';
export { caseFacts } from './caseFacts.ts';
export { caseSummaryMasks, SUMMARY_REGIONS, type CaseSummaryMasks, type SummaryMaskInput, type SummaryMaskRow, type SummaryRegion } from './caseSummary.ts';
export { hasTumour } from './hasTumour.ts';
