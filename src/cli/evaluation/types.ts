import type { DiceKey } from '../../core/metrics/dice.ts';
import type { AdaptedEvidence, BaselineEvidence } from '../../core/signals/index.ts';
import type { AdaptSettings } from '../../core/tta/index.ts';

/** Where a scan comes from (shifted copies carry their source's group); `--evaluation-cases` scans are 'external'. */
export type EvaluationGroup = 'in-domain validation' | 'institution 1' | 'institution 3' | 'institution 15' | 'external';

export interface EvaluationScan {
  /** `<source>` or `<source>-<preset>-s<severity>`. */
  case: string;
  source: string;
  /** The source's case folder, relative to the data root. */
  folder: string;
  group: EvaluationGroup;
  preset: string | null;
  severity: number;
}

/** A named way to adapt (a mode plus variant settings) that the evaluation compares. */
export interface EvaluationVariant {
  name: string;
  settings: AdaptSettings;
  /** One line for the report. */
  summary: string;
  /** Run only on these scans (a costly variant); absent = every scan of its kind. */
  scans?: readonly string[];
}

export type Dice = Record<DiceKey, number | null>;

export interface VariantOutcome {
  settings: AdaptSettings;
  dice: Dice;
  evidence: AdaptedEvidence;
  chosenIteration: number;
  lossCurve: number[];
  seconds: { adaptation: number; segmentation: number };
}

/**
 * Everything measured on one scan: the baseline with its evidence, every variant with its
 * adapted evidence. What `auto` keeps is derived from this evidence when the report is
 * rendered (`decideFromEvidence`, the code `autoAdapt` runs), so a changed policy shows up
 * in the report, and CI's re-render check catches a report not regenerated after it.
 */
export interface EvaluationRecord extends EvaluationScan {
  modelChecksum: string;
  baseline: { dice: Dice; evidence: BaselineEvidence; seconds: number };
  variants: Record<string, VariantOutcome>;
  /** When and where the record was first measured. */
  date: string;
  machine: string;
  /** Variants (re)run later into this record (the baseline is re-measured with them, same values), with when and where. */
  updates?: { date: string; machine: string; variants: string[] }[];
}
