export {
  READABLE_SIGNALS, SIGNAL_LABELS, TUMOUR_SIGNALS, isNoTumour, readBaselineSignal, readSignal, referenceWord,
  type BaselineReading, type NoTumourReading, type ReadOptions, type ReadableSignal, type SignalReading,
} from './signalReading.ts';
export type { AutoCandidate, AutoPolicy } from './policy.ts';
export { DEFAULT_POLICY } from './defaultPolicy.ts';
export { candidateWords, decideToAdapt, type AdaptChoice } from './decideToAdapt.ts';
export { chooseCandidate, type CandidateChoice, type CandidateVerdict } from './chooseCandidate.ts';
export { SELECTION_NAMES, SELECTION_RULES, type SelectionName, type SelectionRule } from './selection/index.ts';
export {
  autoAdapt, autoAdaptFromBaseline, decideFromEvidence,
  type AutoDecision, type AutoOptions, type AutoResult, type CandidateRun,
} from './autoAdapt.ts';
