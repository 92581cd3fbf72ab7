import { DEFAULT_SETTINGS, type AdaptMode } from '../../core/tta/index.ts';
import type { CaseGroup, ReportJob, ReportSection, ReportVariant } from './types.ts';

export interface ReportSplit {
  /** Cross-institution targets (the model card's targetCases). */
  target: string[];
  /** In-domain held-out cases (the model card's valCases). */
  validation: string[];
}

export interface ReportPlanOptions {
  tableModes: AdaptMode[];
  sweepCases: string[];
  sweepPresets: string[];
  sweepSeverities: number[];
  sweepModes: AdaptMode[];
  sensitivityCase: string;
  sensitivityModes: AdaptMode[];
  sensitivityRates: number[];
  sensitivityBudgets: number[];
}

/** What `attune report` runs by default: sized for a 2-core laptop CPU (BENCHMARKS.md says the cost). */
export function defaultPlanOptions(split: ReportSplit): ReportPlanOptions {
  return {
    tableModes: ['none', 'normalizer', 'bn', 'tent', 'adabn'],
    sweepCases: [split.target[0], split.validation[0]],
    sweepPresets: ['low-field', 'thick-slices'],
    sweepSeverities: [2, 4],
    sweepModes: ['none', 'bn', 'adabn'],
    sensitivityCase: split.target[split.target.length - 1],
    sensitivityModes: ['bn', 'normalizer'],
    sensitivityRates: [1e-3, 5e-3],
    sensitivityBudgets: [10, 20, 30],
  };
}

const groupOf = (split: ReportSplit, source: string): CaseGroup => {
  if (split.target.includes(source)) return 'institution 1';
  if (split.validation.includes(source)) return 'in-domain validation';
  throw new Error(`${source} is neither a target nor a validation case of this model`);
};

export function variantOf(split: ReportSplit, source: string, preset: string | null, severity: number): ReportVariant {
  const shifted = preset !== null && severity > 0;
  return {
    case: shifted ? `${source}-${preset}-s${severity}` : source,
    source,
    group: groupOf(split, source),
    preset: shifted ? preset : null,
    severity: shifted ? severity : 0,
  };
}

function job(section: ReportSection, variant: ReportVariant, mode: AdaptMode, over: { learningRate?: number; iterations?: number; budgets?: number[] } = {}): ReportJob {
  const base = DEFAULT_SETTINGS[mode];
  const learningRate = over.learningRate ?? base.learningRate;
  const iterations = over.iterations ?? base.iterations;
  const budgets = over.budgets ?? null;
  const setting = mode === 'none' || mode === 'adabn' ? '' : `__${base.optimizer}-${learningRate}-it${iterations}${budgets ? `-b${budgets.join('.')}` : ''}`;
  return {
    key: `${variant.case}__${mode}${setting}__k${base.statsSlices}`,
    section,
    variant,
    mode,
    optimizer: base.optimizer,
    learningRate,
    iterations,
    statsSlices: base.statsSlices,
    budgets,
  };
}

/**
 * Every run the report needs, in a stable order. A run that two sections share (the
 * table's unshifted `none` is the sweep's severity 0) is listed once, under the first.
 */
export function reportPlan(split: ReportSplit, o: ReportPlanOptions): ReportJob[] {
  const jobs: ReportJob[] = [];
  const add = (j: ReportJob) => {
    if (!jobs.some((x) => x.key === j.key)) jobs.push(j);
  };
  for (const source of [...split.target, ...split.validation]) {
    for (const mode of o.tableModes) add(job('table', variantOf(split, source, null, 0), mode));
  }
  for (const source of o.sweepCases) {
    for (const preset of o.sweepPresets) {
      for (const severity of [0, ...o.sweepSeverities.filter((s) => s > 0)]) {
        for (const mode of o.sweepModes) add(job('sweep', variantOf(split, source, preset, severity), mode));
      }
    }
  }
  const budgets = [...o.sensitivityBudgets].sort((a, b) => a - b);
  add(job('sensitivity', variantOf(split, o.sensitivityCase, null, 0), 'none'));
  for (const mode of o.sensitivityModes) {
    for (const learningRate of o.sensitivityRates) {
      add(job('sensitivity', variantOf(split, o.sensitivityCase, null, 0), mode, { learningRate, iterations: budgets[budgets.length - 1], budgets }));
    }
  }
  return jobs;
}

/** Relative cost of a job on this machine (measured: none ≈ adabn ≈ 1, bn ≈ 3.6, tent ≈ 2.8, normalizer ≈ 8.8 at 20 iterations). */
export function jobCost(j: ReportJob): number {
  const perIteration: Record<AdaptMode, number> = { none: 0, adabn: 0, bnmix: 0.03, bn: 0.13, tent: 0.09, normalizer: 0.39 };
  return 1 + perIteration[j.mode] * j.iterations + (j.budgets ? 0.8 * (j.budgets.length - 1) : 0);
}

/** Splits jobs over n processes (largest first onto the least loaded): shard i gets its own list. */
export function shardJobs(jobs: ReportJob[], shard: number, of: number): ReportJob[] {
  const load = new Array(of).fill(0);
  const mine: ReportJob[] = [];
  [...jobs].map((j, i) => ({ j, i, c: jobCost(j) })).sort((a, b) => b.c - a.c || a.i - b.i).forEach(({ j, c }) => {
    const s = load.indexOf(Math.min(...load));
    load[s] += c;
    if (s === shard) mine.push(j);
  });
  // Keep the plan's order inside a shard so one loaded case serves its jobs in a row.
  return jobs.filter((j) => mine.includes(j));
}
