import type { DiceKey } from '../../core/metrics/dice.ts';
import type { AdaptMode, OptimizerName } from '../../core/tta/index.ts';

export type ReportSection = 'table' | 'sweep' | 'sensitivity';
export type CaseGroup = 'institution 1' | 'in-domain validation';

/** One scan the report segments: a real case, or a shifted copy made in memory. */
export interface ReportVariant {
  /** `<source>` or `<source>-<preset>-s<severity>` (the id `attune shift` would write). */
  case: string;
  source: string;
  group: CaseGroup;
  preset: string | null;
  severity: number;
}

/** One adaptation run; with `budgets`, one run answers several iteration counts. */
export interface ReportJob {
  key: string;
  section: ReportSection;
  variant: ReportVariant;
  mode: AdaptMode;
  optimizer: OptimizerName;
  learningRate: number;
  iterations: number;
  statsSlices: number;
  budgets: number[] | null;
}

/** One mask scored against the label: a job gives one, or one per iteration budget. */
export interface ReportRecord extends ReportVariant {
  key: string;
  section: ReportSection;
  mode: AdaptMode;
  optimizer: OptimizerName;
  learningRate: number;
  /** Iterations the kept parameters were chosen from (the budget for a budget record). */
  iterations: number;
  chosenIteration: number;
  shiftScore: number;
  lossCurve: number[];
  dice: Record<DiceKey, number | null>;
  /** Adaptation + final inference, this machine. */
  seconds: number;
  date: string;
  machine: string;
}
