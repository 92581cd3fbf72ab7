export {
  READABLE_SIGNALS, SIGNAL_LABELS, TUMOUR_SIGNALS, isNoTumour, readBaselineSignal, readSignal,
  type BaselineReading, type NoTumourReading, type ReadableSignal, type SignalReading,
} from './signalReading.ts';
export type { AutoPolicy } from './policy.ts';
export { DEFAULT_POLICY } from './defaultPolicy.ts';
export { decideToAdapt, type AdaptChoice } from './decideToAdapt.ts';
export { keepOrFallBack, type KeepChoice } from './keepOrFallBack.ts';
export { autoAdapt, autoAdaptFromBaseline, decideFromEvidence, type AutoDecision, type AutoOptions, type AutoResult } from './autoAdapt.ts';
