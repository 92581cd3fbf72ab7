import { DEFAULT_SETTINGS } from '../../core/tta/index.ts';
import type { EvaluationGroup, EvaluationScan, EvaluationVariant } from './types.ts';

/** The six held-out real scans (none was trained on; BENCHMARKS.md and the model card use the same). */
export const EVALUATION_SOURCES: Record<string, EvaluationGroup> = {
  BraTS2021_00024: 'in-domain validation',
  BraTS2021_00031: 'in-domain validation',
  BraTS2021_00324: 'institution 1',
  BraTS2021_00389: 'institution 1',
  BraTS2021_01426: 'institution 3',
  BraTS2021_01531: 'institution 15',
};

/**
 * Shifted copies of the in-domain scans, from presets that hurt the baseline (BENCHMARKS.md,
 * "Simulated shifts"): low-field at two severities (a series to check that a signal rises
 * with severity), thick slices (like institution 3's T1 and FLAIR) at the strongest. Sized to
 * what 2 cores finish in a working session (~8 min per copy with every variant).
 */
export const EVALUATION_SHIFTS = {
  sources: ['BraTS2021_00024', 'BraTS2021_00031'],
  presets: [
    { preset: 'low-field', severities: [2, 4] },
    { preset: 'thick-slices', severities: [4] },
  ],
};

export const EVALUATION_VARIANTS: EvaluationVariant[] = [
  { name: 'tent', settings: DEFAULT_SETTINGS.tent, summary: 'TENT: BN scale/offset, prediction entropy' },
  { name: 'bn', settings: DEFAULT_SETTINGS.bn, summary: 'BN adaptation, KL over all layers and pixels (the method as written)' },
  { name: 'bn-shallow', settings: { ...DEFAULT_SETTINGS.bn, layers: 'shallow' }, summary: 'BN adaptation, KL over the shallow layers only (forward/backward stop there)' },
  { name: 'bn-brain', settings: { ...DEFAULT_SETTINGS.bn, layers: 'shallow', pixels: 'brain' }, summary: 'BN adaptation, shallow layers, brain pixels, against the calibrated reference' },
  {
    name: 'bn-16',
    settings: { ...DEFAULT_SETTINGS.bn, statsSlices: 16 },
    summary: 'BN adaptation as written, 16 statistics slices instead of 8 (≈ 6 min a scan here: on the in-domain and institution-1 scans only)',
    scans: ['BraTS2021_00024', 'BraTS2021_00031', 'BraTS2021_00324', 'BraTS2021_00389'],
  },
  { name: 'bnmix', settings: DEFAULT_SETTINGS.bnmix, summary: 'backward-free: BN statistics blended towards the scan’s per depth, blend chosen by prediction entropy' },
  { name: 'normalizer', settings: DEFAULT_SETTINGS.normalizer, summary: 'normalizer adaptation (the method as written)' },
];

/** Variants run on shifted copies too (the normalizer and 16 slices cost 5–9 inferences each: real scans only). */
export const SHIFTED_VARIANTS = ['tent', 'bn', 'bn-shallow', 'bn-brain', 'bnmix'];

/** A researcher's own labelled cases (`--evaluation-cases <folder>`): each case folder is one scan, no shifted copies. */
export function externalScans(caseNames: string[]): EvaluationScan[] {
  return caseNames.map((name) => ({ case: name, source: name, group: 'external', preset: null, severity: 0 }));
}

export function evaluationScans(): EvaluationScan[] {
  const scans: EvaluationScan[] = Object.entries(EVALUATION_SOURCES).map(([source, group]) => ({ case: source, source, group, preset: null, severity: 0 }));
  for (const source of EVALUATION_SHIFTS.sources) {
    for (const { preset, severities } of EVALUATION_SHIFTS.presets) {
      for (const severity of severities) {
        scans.push({ case: `${source}-${preset}-s${severity}`, source, group: EVALUATION_SOURCES[source], preset, severity });
      }
    }
  }
  return scans;
}

export function variantsFor(scan: EvaluationScan): EvaluationVariant[] {
  const listed = scan.preset === null ? EVALUATION_VARIANTS : EVALUATION_VARIANTS.filter((v) => SHIFTED_VARIANTS.includes(v.name));
  return listed.filter((v) => !v.scans || v.scans.includes(scan.case) || scan.group === 'external');
}

/** Shard i of n: scans dealt round-robin by estimated cost (real scans carry the expensive variants). */
export function shardScans(scans: EvaluationScan[], shard: number, of: number): EvaluationScan[] {
  const cost = (s: EvaluationScan) => (s.preset === null ? 25 : 12);
  const load = new Array(of).fill(0);
  const mine: EvaluationScan[] = [];
  scans.map((s, i) => ({ s, i })).sort((a, b) => cost(b.s) - cost(a.s) || a.i - b.i).forEach(({ s }) => {
    const k = load.indexOf(Math.min(...load));
    load[k] += cost(s);
    if (k === shard) mine.push(s);
  });
  return scans.filter((s) => mine.includes(s));
}
