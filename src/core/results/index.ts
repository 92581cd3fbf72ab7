export { maskChanges, CHANGE_VALUES, type ChangeKind, type MaskChanges } from './maskChanges.ts';
export { readShiftScore, SHIFT_READING_THRESHOLDS, type ShiftLevel, type ShiftReading } from './shiftReading.ts';
export { lossCurvesCsv, type CurveForCsv } from './lossCurvesCsv.ts';
export { caseStem } from './caseStem.ts';
export { caseFacts } from './caseFacts.ts';
export { caseSummaryMasks, SUMMARY_REGIONS, type CaseSummaryMasks, type SummaryMaskInput, type SummaryMaskRow, type SummaryRegion } from './caseSummary.ts';
