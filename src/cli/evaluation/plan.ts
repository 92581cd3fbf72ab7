import { DEFAULT_SETTINGS } from '../../core/tta/index.ts';
import type { EvaluationGroup, EvaluationScan, EvaluationVariant } from './types.ts';

/**
 * Real scans no model in `models/` trained on, with where they sit under the shared data root
 * (`--evaluation-data`, default ../shared/data). Issue 15's six held-out scans, then issue 23's
 * additions: BraTS2021_00060 (institution 18, not trained on: a third in-domain validation
 * scan) and every other real scan from an institution other than 18.
 */
export const EVALUATION_SOURCES: Record<string, { group: EvaluationGroup; folder: string }> = {
  BraTS2021_00024: { group: 'in-domain validation', folder: 'brats2021/BraTS2021_00024' },
  BraTS2021_00031: { group: 'in-domain validation', folder: 'brats2021/BraTS2021_00031' },
  BraTS2021_00324: { group: 'institution 1', folder: 'brats2021/BraTS2021_00324' },
  BraTS2021_00389: { group: 'institution 1', folder: 'brats2021/BraTS2021_00389' },
  BraTS2021_01426: { group: 'institution 3', folder: 'brats2021/BraTS2021_01426' },
  BraTS2021_01531: { group: 'institution 15', folder: 'brats2021/BraTS2021_01531' },
  BraTS2021_00060: { group: 'in-domain validation', folder: 'brats2021/BraTS2021_00060' },
  BraTS2021_01427: { group: 'institution 3', folder: 'brats2021/BraTS2021_01427' },
  BraTS2021_01429: { group: 'institution 3', folder: 'brats2021/BraTS2021_01429' },
  'UPENN-GBM-00003_11': { group: 'institution 1', folder: 'upenn-gbm/UPENN-GBM-00003_11' },
};

/** The presets that hurt the baseline (BENCHMARKS.md, "Simulated shifts": mean drop ≥ 0.10 at severity 4). */
export const HURTING_PRESETS = ['low-field', 'thick-slices', 'bias-field', 'noisy', 'blur', 'gamma', 'weak-enhancement'];

/**
 * Shifted copies of the in-domain validation scans: every preset that hurts at severity 4
 * (issue 23), plus issue 15's low-field severity-2 copies (a series to check that a signal
 * rises with severity).
 */
export const EVALUATION_SHIFTS: { sources: string[]; presets: { preset: string; severities: number[]; sources?: string[] }[] } = {
  sources: ['BraTS2021_00024', 'BraTS2021_00031', 'BraTS2021_00060'],
  presets: [
    { preset: 'low-field', severities: [2], sources: ['BraTS2021_00024', 'BraTS2021_00031'] },
    ...HURTING_PRESETS.map((preset) => ({ preset, severities: [4] })),
  ],
};

/** The preset checks (baseline only, every preset at severity 4) stay on issue 15's two in-domain scans. */
export const PRESET_CHECK_SOURCES = ['BraTS2021_00024', 'BraTS2021_00031'];

/** Issue 15's twelve scans: they carry every variant; the scans added since carry only the ones `auto` can pick. */
export const ISSUE15_SCANS = new Set([
  ...Object.keys(EVALUATION_SOURCES).slice(0, 6),
  ...['BraTS2021_00024', 'BraTS2021_00031'].flatMap((s) => [`${s}-low-field-s2`, `${s}-low-field-s4`, `${s}-thick-slices-s4`]),
]);

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

/** Variants run on issue 15's shifted copies too (the normalizer and 16 slices cost 5–9 inferences each: real scans only). */
export const SHIFTED_VARIANTS = ['tent', 'bn', 'bn-shallow', 'bn-brain', 'bnmix'];

/** The candidates `auto` adapts with (issue 23): run on every scan, with their after-evidence (flip disagreement included). */
export const AUTO_CANDIDATES = ['tent', 'bn-brain'];

/** A researcher's own labelled cases (`--evaluation-cases <folder>`): each case folder is one scan, no shifted copies. */
export function externalScans(caseNames: string[]): EvaluationScan[] {
  return caseNames.map((name) => ({ case: name, source: name, folder: name, group: 'external', preset: null, severity: 0 }));
}

export function evaluationScans(): EvaluationScan[] {
  const scans: EvaluationScan[] = Object.entries(EVALUATION_SOURCES).map(([source, { group, folder }]) => ({ case: source, source, folder, group, preset: null, severity: 0 }));
  for (const source of EVALUATION_SHIFTS.sources) {
    for (const { preset, severities, sources } of EVALUATION_SHIFTS.presets) {
      if (sources && !sources.includes(source)) continue;
      for (const severity of severities) {
        const { group, folder } = EVALUATION_SOURCES[source];
        scans.push({ case: `${source}-${preset}-s${severity}`, source, folder, group, preset, severity });
      }
    }
  }
  return scans;
}

export function variantsFor(scan: EvaluationScan): EvaluationVariant[] {
  if (scan.group !== 'external' && !ISSUE15_SCANS.has(scan.case)) return EVALUATION_VARIANTS.filter((v) => AUTO_CANDIDATES.includes(v.name));
  const listed = scan.preset === null ? EVALUATION_VARIANTS : EVALUATION_VARIANTS.filter((v) => SHIFTED_VARIANTS.includes(v.name));
  return listed.filter((v) => !v.scans || v.scans.includes(scan.case) || scan.group === 'external');
}

/** Shard i of n: scans dealt round-robin by estimated cost (real scans carry the expensive variants). */
export function shardScans(scans: EvaluationScan[], shard: number, of: number): EvaluationScan[] {
  const cost = (s: EvaluationScan) => variantsFor(s).length + 1;
  const load = new Array(of).fill(0);
  const mine: EvaluationScan[] = [];
  scans.map((s, i) => ({ s, i })).sort((a, b) => cost(b.s) - cost(a.s) || a.i - b.i).forEach(({ s }) => {
    const k = load.indexOf(Math.min(...load));
    load[k] += cost(s);
    if (k === shard) mine.push(s);
  });
  return scans.filter((s) => mine.includes(s));
}
