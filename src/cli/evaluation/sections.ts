import { DEFAULT_POLICY } from '../../core/decision/defaultPolicy.ts';
import type { AutoPolicy } from '../../core/decision/policy.ts';
import { READABLE_SIGNALS, SIGNAL_LABELS, readSignal, type ReadableSignal } from '../../core/decision/signalReading.ts';
import { SELECTION_RULES } from '../../core/decision/selection/index.ts';
import { readingReference, trainingScans } from '../../core/signals/index.ts';
import { partialSpearman, spearman } from '../../core/metrics/spearman.ts';
import type { Calibration } from '../../core/signals/index.ts';
import { scatterSvg } from '../report/svg.ts';
import { meanClassDice } from '../../core/metrics/dice.ts';
import { f2, f3, header, mean, row, signed } from '../markdown.ts';
import { applyPolicy, FIT_TOLERANCE, fitPolicy, HARM, leaveOneScanOut, MAX_HARMED_SHARE, MIN_IMPROVEMENT_GRID, RATIO_GRID, VOLUME_GRID } from './fitPolicy.ts';
import { AUTO_CANDIDATES, EVALUATION_VARIANTS } from './plan.ts';
import type { EvaluationRecord } from './types.ts';
import { CHECK_SEVERITY, HURTS, type PresetCheck } from './presetChecks.ts';
import { SHIFT_PRESETS, SHIFT_PRESET_NAMES } from '../../core/shift/index.ts';

export interface EvaluationOutput {
  markdown: string;
  figures: { file: string; svg: string }[];
}

/** Signals in the report: the readable ones plus the method's all-layer shift score (for comparison). */
type ReportSignal = ReadableSignal | 'shiftScore';
const REPORT_SIGNALS: ReportSignal[] = [...READABLE_SIGNALS, 'shiftScore'];
const LABEL: Record<ReportSignal, string> = { ...SIGNAL_LABELS, shiftScore: 'shift score (KL, all layers, all pixels, 8 slices)' };

const shiftName = (r: EvaluationRecord) => (r.preset ? `${r.preset} s${r.severity}` : '–');
const value = (r: EvaluationRecord, s: ReportSignal) => (r.baseline.evidence[s] ?? NaN) as number;

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** A policy in words. */
export function policyWords(p: AutoPolicy): string {
  const gate = p.adaptAboveRatio === 0
    ? 'on every scan with a tumour'
    : Number.isFinite(p.adaptAboveRatio) ? `when the ${LABEL[p.signal]} exceeds ${p.adaptAboveRatio}× the highest reference scan's` : 'never';
  const rule = SELECTION_RULES[p.selection].summary;
  return `adapt ${gate} with ${p.candidates.map((c) => `\`${c.variant}\``).join(' and ')}; keep the candidate with the largest ${rule}${p.minImprovement > 0 ? ` (at least ${pct(p.minImprovement)})` : ' (it must fall)'}, among those whose tumour volume changed ≤ ${pct(p.maxVolumeChange)}; otherwise the baseline`;
}

/** What every section reads: the records, their groups and the decisions computed once. */
interface EvaluationContext {
  records: EvaluationRecord[];
  real: EvaluationRecord[];
  shifted: EvaluationRecord[];
  calibration: Calibration;
  figureDir: string;
  /** Each record's baseline mean Dice, in record order. */
  dice: number[];
  series: EvaluationRecord[][];
  /** The variants run on at least one scan, in plan order. */
  variants: typeof EVALUATION_VARIANTS;
  /** The shipped rule applied to each record, in record order. */
  shipped: ReturnType<typeof applyPolicy>[];
  loo: ReturnType<typeof leaveOneScanOut>;
}

/** The "adapt when it helps" part of BENCHMARKS.md, from the evaluation records alone. */
export function evaluationMarkdown(records: EvaluationRecord[], calibration: Calibration, o: { figureDir: string; commandLine: string; presetChecks?: PresetCheck[] }): EvaluationOutput {
  if (!records.length) throw new Error('no evaluation records');
  const ctx: EvaluationContext = {
    records,
    real: records.filter((r) => r.preset === null),
    shifted: records.filter((r) => r.preset !== null),
    calibration,
    figureDir: o.figureDir,
    dice: records.map((r) => meanClassDice(r.baseline)),
    series: seriesOf(records),
    variants: EVALUATION_VARIANTS.filter((v) => records.some((r) => r.variants[v.name])),
    shipped: records.map((r) => applyPolicy(calibration, DEFAULT_POLICY, r)),
    loo: leaveOneScanOut(calibration, records),
  };
  const figures: EvaluationOutput['figures'] = [];
  const md = [
    ...introSection(ctx, o.commandLine),
    ...(o.presetChecks?.length ? presetSection(o.presetChecks) : []),
    ...evaluationSetSection(ctx),
    ...signalsSection(ctx, figures),
    ...variantsSection(ctx),
    ...afterAdaptingSection(ctx),
    ...autoSection(ctx),
    ...targetsSection(ctx),
  ];
  return { markdown: md.join('\n'), figures };
}

function introSection({ records, real, shifted, calibration }: EvaluationContext, commandLine: string): string[] {
  const machines = [...new Set(records.flatMap((r) => [r.machine, ...(r.updates ?? []).map((u) => u.machine)]))];
  const dates = [...new Set(records.flatMap((r) => [r.date, ...(r.updates ?? []).map((u) => u.date)]))].sort();
  const groups = [...new Set(real.map((r) => r.group))].map((g) => `${real.filter((r) => r.group === g).length} ${g}`).join(', ');
  const heldOut = calibration.scans.filter((c) => c.trained === false).map((c) => c.name);
  return [
    '## Adapt when it helps: signals, candidates and the `auto` decision',
    '',
    `Generated by \`${commandLine}\` from the committed run records \`bench/runs/evaluation/*.json\` (${records.length} scans: ${real.length} real scans no model here trained on — ${groups} — and ${shifted.length} shifted copies of the in-domain validation scans) and the model's \`calibration.json\` (${trainingScans(calibration).length} institution-18 training scans: the feature reference; ${heldOut.length ? `${heldOut.length} scans it did not train on, ${heldOut.join(', ')}: the reference a scan's signals are read against, each of them and its copies read against the others` : 'no held-out scans: signals are read against the training scans'}). Model checksum ${records[0].modelChecksum}; measured ${dates.join(', ')} on ${machines.join('; ')}. Mean Dice = mean over NCR, ED, ET. Re-rendering from the records alone takes seconds, and CI checks that it rebuilds this block byte for byte.`,
    '',
  ];
}

function evaluationSetSection({ records, calibration }: EvaluationContext): string[] {
  const md = ['### The evaluation set', '', ...header(['scan', 'group', 'shift', 'baseline WT', 'baseline mean Dice', ...REPORT_SIGNALS.map((s) => s)])];
  for (const r of records) md.push(row([r.case, r.group, shiftName(r), f3(r.baseline.dice.WT), f3(meanClassDice(r.baseline)), ...REPORT_SIGNALS.map((s) => f3(value(r, s)))]));
  const range = (scans: typeof calibration.scans) => READABLE_SIGNALS.map((s) => `${s} ${f3(Math.min(...scans.map((c) => c.outputs[s])))}–${f3(Math.max(...scans.map((c) => c.outputs[s])))}`).join(', ');
  const reference = readingReference(calibration);
  md.push('', `Signals: ${REPORT_SIGNALS.map((s) => `\`${s}\` = ${LABEL[s]}`).join('; ')}. Training scans' range (calibration, feature signals leave-one-out): ${range(trainingScans(calibration))}.${reference.kind === 'held-out' ? ` Held-out reference scans' range: ${range(reference.scans)}.` : ''}`, '');
  return md;
}

/** How many shifted series the signal rises along (source → s2 → s4). */
const risingSeries = (series: EvaluationRecord[][], s: ReportSignal) => series.filter((chain) => chain.every((r, i) => i === 0 || value(r, s) > value(chain[i - 1], s))).length;

function signalsSection({ records, real, calibration, figureDir, dice, series }: EvaluationContext, figures: EvaluationOutput['figures']): string[] {
  const md = ['### Signals against the baseline\'s Dice', '', 'Spearman correlation with the baseline\'s Dice over all scans (a useful signal is strongly negative: higher signal, lower Dice), the partial correlation controlling for the predicted tumour volume (what the signal says beyond tumour size), whether it rises with severity along each shifted series (source → s2 → s4), and how it reads: "close" = within the reference scans\' range (≤ their highest value; a held-out scan and its copies against the other held-out scans).', ''];
  md.push(...header(['signal', 'Spearman vs mean Dice', 'Spearman vs WT', 'partial (given tumour volume)', 'rises with severity', 'in-domain validation read "close"', 'scans with WT < 0.7 read "close"']));
  const wt = records.map((r) => r.baseline.dice.WT ?? NaN);
  const volume = records.map((r) => r.baseline.evidence.tumourVoxels);
  for (const s of REPORT_SIGNALS) {
    const x = records.map((r) => value(r, s));
    const rho = spearman(x, dice);
    const measured = records.filter((r) => Number.isFinite(value(r, s)));
    const rising = risingSeries(series, s);
    const readable = (READABLE_SIGNALS as readonly string[]).includes(s);
    const close = (r: EvaluationRecord) => readable && readSignal(s as ReadableSignal, r.baseline.evidence, calibration, { exclude: [r.source] }).ratio <= 1;
    const validation = real.filter((r) => r.group === 'in-domain validation');
    const failing = measured.filter((r) => (r.baseline.dice.WT ?? 1) < 0.7);
    md.push(row([
      `\`${s}\``, f2(rho), f2(spearman(x, wt)), f2(partialSpearman(x, dice, volume)), `${rising}/${series.length}`,
      readable ? `${validation.filter((r) => measured.includes(r)).filter(close).length}/${validation.length}` : 'not calibrated',
      readable ? `${failing.filter(close).length}/${failing.length}` : 'not calibrated',
    ]));
    const file = `${figureDir}/signal-${s}.svg`;
    figures.push({
      file,
      svg: scatterSvg(records.map((r) => ({ x: value(r, s), y: meanClassDice(r.baseline), group: r.preset ? 'shifted copy' : r.group })), {
        title: LABEL[s], xLabel: s, yLabel: 'baseline mean Dice', caption: `Spearman ${f2(rho)} (n = ${records.length})`,
      }),
    });
  }
  md.push('', `Figures: ${REPORT_SIGNALS.map((s) => `[${s}](${figureDir}/signal-${s}.svg)`).join(', ')}.`, '');
  return md;
}

/** Spearman over the pairs where both values are measured (a flip check without tumour on its slices has none). */
function spearmanMeasured(x: number[], y: number[]): number | null {
  const keep = x.map((v, i) => Number.isFinite(v) && Number.isFinite(y[i]));
  return spearman(x.filter((_, i) => keep[i]), y.filter((_, i) => keep[i]));
}

function variantsSection({ records, real, variants }: EvaluationContext): string[] {
  const md = ['### Variants: Δ mean Dice against no adaptation', '', ...variants.map((v) => `- \`${v.name}\`: ${v.summary}.`), ''];
  md.push(...header(['scan', 'baseline', ...variants.map((v) => v.name)]));
  for (const r of records) {
    const base = meanClassDice(r.baseline);
    md.push(row([r.case, f3(base), ...variants.map((v) => (r.variants[v.name] ? signed(meanClassDice(r.variants[v.name]) - base) : '·'))]));
  }
  const deltas = (name: string, rs: EvaluationRecord[]) => rs.filter((r) => r.variants[name]).map((r) => meanClassDice(r.variants[name]) - meanClassDice(r.baseline));
  md.push(row(['**scans run**', '', ...variants.map((v) => String(deltas(v.name, records).length))]));
  md.push(row(['**mean Δ**', '', ...variants.map((v) => signed(mean(deltas(v.name, records))))]));
  md.push(row([`**harmed > ${HARM}**`, '', ...variants.map((v) => { const d = deltas(v.name, records); return `${d.filter((x) => x < -HARM).length}/${d.length}`; })]));
  md.push(row(['**mean Δ, real scans**', '', ...variants.map((v) => signed(mean(deltas(v.name, real))))]));
  md.push(row(['**seconds (adapt + segment), median**', '', ...variants.map((v) => f2(median(records.filter((r) => r.variants[v.name]).map((r) => r.variants[v.name].seconds.adaptation + r.variants[v.name].seconds.segmentation))))]));
  md.push('', `\`·\` = not run on that scan. \`auto\`'s candidates (${AUTO_CANDIDATES.map((c) => `\`${c}\``).join(', ')}) ran on every scan; the other variants only on issue 15's twelve scans (the normalizer and 16 slices on real scans only, 16 slices on four), so their means are over fewer, different scans and not comparable with the candidates'.`, '');
  return md;
}

/** The after-evidence of one (scan, variant) run, as the sections compare it. */
interface Pair {
  r: EvaluationRecord;
  variant: string;
  o: EvaluationRecord['variants'][string];
  gain: number;
}

const entropyFall = ({ r, o }: Pair) => (r.baseline.evidence.tumourEntropy - o.evidence.tumourEntropy) / r.baseline.evidence.tumourEntropy;
const flipFall = ({ r, o }: Pair) => {
  const before = r.baseline.evidence.flipDisagreement;
  const after = o.evidence.flipDisagreement;
  return before == null || after == null || before <= 0 ? NaN : (before - after) / before;
};

/** Output-side evidence after adapting: does it tell a helpful adaptation from a harmful one? */
function afterAdaptingSection({ records, variants }: EvaluationContext): string[] {
  const pairs: Pair[] = records.flatMap((r) => variants.filter((v) => r.variants[v.name] && r.variants[v.name].settings.mode !== 'none').map((v) => {
    const o = r.variants[v.name];
    return { r, variant: v.name, o, gain: meanClassDice(o) - meanClassDice(r.baseline) };
  }));
  const after: [string, (p: Pair) => number][] = [
    ['tumour volume change (relative)', ({ o }) => (Number.isFinite(o.evidence.volumeChange) ? o.evidence.volumeChange : 1e9)],
    ['objective drop (relative)', ({ o }) => o.evidence.lossDrop],
    ['fall of the entropy inside the tumour (relative)', entropyFall],
    ['fall of the flip disagreement (relative; candidates since issue 23)', flipFall],
  ];
  const md = ['### Evidence after adapting against what adapting did', '', `Over every (scan, variant) pair (${pairs.length}; the flip disagreement after adapting is recorded for \`auto\`'s candidates only): Spearman correlation of each signal with the variant's Δ mean Dice (a useful "it helped" signal is positive for a fall).`, ''];
  md.push(...header(['signal', 'pairs', 'Spearman vs Δ mean Dice']));
  for (const [name, f] of after) {
    const x = pairs.map(f);
    md.push(row([name, String(x.filter(Number.isFinite).length), f2(spearmanMeasured(x, pairs.map((p) => p.gain)))]));
  }
  md.push('', `Does the evidence separate runs that helped (Δ mean Dice > +${HARM}) from runs that harmed (< −${HARM})? For each candidate, the share of its runs in which the evidence fell, and its median relative fall. The entropy check is not TENT's objective restated if it fell on the runs that helped and not on those that harmed.`, '');
  md.push(...header(['candidate', 'evidence', 'helped: fell', 'helped: median fall', 'neutral: fell', 'harmed: fell', 'harmed: median fall']));
  for (const variant of AUTO_CANDIDATES) {
    const mine = pairs.filter((p) => p.variant === variant);
    const groups = { helped: mine.filter((p) => p.gain > HARM), neutral: mine.filter((p) => Math.abs(p.gain) <= HARM), harmed: mine.filter((p) => p.gain < -HARM) };
    for (const [name, f] of [['entropy inside the tumour', entropyFall], ['flip disagreement', flipFall]] as const) {
      const fell = (ps: Pair[]) => {
        const v = ps.map(f).filter(Number.isFinite);
        return `${v.filter((x) => x > 0).length}/${v.length}`;
      };
      const med = (ps: Pair[]) => pct2(median(ps.map(f).filter(Number.isFinite)));
      md.push(row([`\`${variant}\``, name, fell(groups.helped), med(groups.helped), fell(groups.neutral), fell(groups.harmed), med(groups.harmed)]));
    }
  }
  md.push('');
  return md;
}

const pct2 = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(0)} %` : '–');

/** Mean Dice per scan of never adapting, of always running each variant that ran on every scan, of the best candidate per scan (needs the label), and of leave-one-scan-out `auto`. */
function policyDice({ records, dice, variants, loo }: EvaluationContext) {
  const always = variants.filter((v) => records.every((r) => r.variants[v.name])).map((v) => ({ name: v.name, dice: records.map((r) => meanClassDice(r.variants[v.name])) }));
  const oracle = records.map((r, i) => Math.max(dice[i], ...AUTO_CANDIDATES.filter((c) => r.variants[c]).map((c) => meanClassDice(r.variants[c]))));
  const looDice = records.map((r) => loo.get(r.case)!.outcome.dice);
  const harmed = (ds: number[]) => ds.filter((d, i) => d < dice[i] - HARM).length;
  return { never: mean(dice), always, oracle, looDice, harmed };
}

function autoSection(ctx: EvaluationContext): string[] {
  const { records, calibration, shipped, loo } = ctx;
  const fitted = fitPolicy(calibration, records);
  const grid = `gate: every readable signal × ${RATIO_GRID.filter((x) => x > 0).map((x) => (Number.isFinite(x) ? `${x}×` : '∞')).join(', ')} the highest reference scan's, or every scan; candidates: every non-empty subset of ${AUTO_CANDIDATES.map((c) => `\`${c}\``).join(', ')}; selection: ${Object.values(SELECTION_RULES).map((r) => `\`${r.name}\` (${r.summary})`).join(', ')}; at least ${MIN_IMPROVEMENT_GRID.map(pct).join(', ')}; volume guard ${VOLUME_GRID.map(pct).join(' or ')}`;
  const md = [
    '### The `auto` decision',
    '',
    `Shipped rule (\`src/core/decision/defaultPolicy.ts\`): ${policyWords(DEFAULT_POLICY)}.`,
    '',
    `Fitted on all these records: ${policyWords(fitted)}. The fit tries every rule of the grid (${grid}); among the rules that harm at most ${pct(MAX_HARMED_SHARE)} of the scans by more than ${HARM} and are within ${FIT_TOLERANCE} of the best mean Dice, it takes the one that runs the fewest adaptations. The honest estimate is leave-one-scan-out: each source scan (with its shifted copies) decided by the rule fitted on the others.`,
    '',
  ];
  md.push(...header(['scan', 'baseline', 'auto (shipped rule)', 'Δ', 'auto (leave-one-out)', 'Δ', 'kept (leave-one-out)', 'decision (shipped rule)']));
  records.forEach((r, i) => {
    const base = meanClassDice(r.baseline);
    const l = loo.get(r.case)!.outcome;
    const s = shipped[i];
    md.push(row([r.case, f3(base), f3(s.dice), signed(s.dice - base), f3(l.dice), signed(l.dice - base), l.adaptedWith ?? (l.candidatesRun ? 'baseline (after adapting)' : 'baseline'), s.reason.replace(/\|/g, '/')]));
  });
  const { never, always, oracle, looDice, harmed } = policyDice(ctx);
  const n = records.length;
  md.push('', ...header(['policy', 'mean Dice', 'Δ vs never', `harmed > ${HARM}`, 'scans adapted', 'adaptations run']));
  md.push(row(['never adapt', f3(never), signed(0), `0/${n}`, '0', '0']));
  for (const a of always) md.push(row([`always \`${a.name}\``, f3(mean(a.dice)), signed(mean(a.dice) - never), `${harmed(a.dice)}/${n}`, String(n), String(n)]));
  const shippedDice = shipped.map((s) => s.dice);
  md.push(row(['`auto`, shipped rule (in-sample)', f3(mean(shippedDice)), signed(mean(shippedDice) - never), `${harmed(shippedDice)}/${n}`, String(shipped.filter((s) => s.candidatesRun).length), String(shipped.reduce((a, s) => a + s.candidatesRun, 0))]));
  const looOutcomes = records.map((r) => loo.get(r.case)!.outcome);
  md.push(row(['`auto`, leave-one-scan-out', f3(mean(looDice)), signed(mean(looDice) - never), `${harmed(looDice)}/${n}`, String(looOutcomes.filter((o) => o.candidatesRun).length), String(looOutcomes.reduce((a, o) => a + o.candidatesRun, 0))]));
  md.push(row([`best of baseline / ${AUTO_CANDIDATES.map((c) => `\`${c}\``).join(' / ')} per scan (chosen with the label: the ceiling)`, f3(mean(oracle)), signed(mean(oracle) - never), `0/${n}`, '–', '–']));
  const rules = new Map<string, number>();
  for (const { policy } of new Map([...loo.values()].map((x) => [x.policy, x])).values()) rules.set(policyWords(policy), 0);
  for (const source of new Set(records.map((r) => r.source))) {
    const w = policyWords(loo.get(records.find((r) => r.source === source)!.case)!.policy);
    rules.set(w, (rules.get(w) ?? 0) + 1);
  }
  md.push('', 'The rules leave-one-scan-out fitted (how many of the source scans each decided):', '', ...[...rules].sort((a, b) => b[1] - a[1]).map(([w, k]) => `- ${k}×: ${w}.`), '');
  return md;
}

/** `auto`'s total time on a recorded scan against the baseline's alone: the baseline with its evidence, plus every candidate it ran (adaptation, segmentation, after-evidence). */
function costRatio(r: EvaluationRecord, policy: AutoPolicy, outcome: { candidatesRun: number }): number {
  const ran = outcome.candidatesRun ? policy.candidates : [];
  return (r.baseline.seconds + ran.reduce((a, c) => a + r.variants[c.variant].seconds.adaptation + r.variants[c.variant].seconds.segmentation, 0)) / r.baseline.seconds;
}

function targetsSection(ctx: EvaluationContext): string[] {
  const { records, real, shifted, shipped, loo } = ctx;
  const { never, always, looDice, harmed } = policyDice(ctx);
  const best = [{ name: 'never', dice: never }, ...always.map((a) => ({ name: `always \`${a.name}\``, dice: mean(a.dice) }))].sort((a, b) => b.dice - a.dice)[0];

  // recovery on shifted copies whose baseline dropped ≥ 0.10
  const sourceDice = new Map(real.map((r) => [r.source, meanClassDice(r.baseline)]));
  const dropped = shifted.filter((r) => (sourceDice.get(r.source) ?? NaN) - meanClassDice(r.baseline) >= 0.1);
  const recovery = dropped.map((r) => {
    const drop = sourceDice.get(r.source)! - meanClassDice(r.baseline);
    return (loo.get(r.case)!.outcome.dice - meanClassDice(r.baseline)) / drop;
  });
  const shippedCost = records.map((r, i) => costRatio(r, DEFAULT_POLICY, shipped[i]));
  const allCandidates = records.map((r) => costRatio(r, DEFAULT_POLICY, { candidatesRun: DEFAULT_POLICY.candidates.length }));
  const met = (ok: boolean) => (ok ? '**met**' : '**not met**');
  const md = ['', '### Targets (issue 23, leave-one-scan-out)', '', ...header(['target', 'measured', ''])];
  md.push(row(['`auto` mean Dice ≥ the best of never / always-each-variant + 0.02', `${f3(mean(looDice))} vs ${f3(best.dice)} (${best.name}) + 0.02`, met(mean(looDice) >= best.dice + 0.02)]));
  md.push(row([`≤ 1 scan in 10 harmed by more than ${HARM}`, `${harmed(looDice)}/${records.length}`, met(harmed(looDice) <= records.length / 10)]));
  md.push(row(['shifted copies with a baseline drop ≥ 0.10: ≥ 30 % of the drop recovered on average', dropped.length ? `${(100 * mean(recovery)).toFixed(0)} % over ${dropped.length} copies` : 'no copy dropped ≥ 0.10', met(dropped.length > 0 && mean(recovery) >= 0.3)]));
  md.push(row(['`auto` total time ≤ 6× the baseline alone, worst scan (wasm)', `evaluation records (Node, shared cores): shipped rule max ${f2(Math.max(...shippedCost))}×, median ${f2(median(shippedCost))}×; with every candidate run, max ${f2(Math.max(...allCandidates))}×, median ${f2(median(allCandidates))}×`, 'the browser figure is `npm run bench`\'s (BENCHMARKS.md, its block)']));
  md.push('');
  return md;
}

function median(v: number[]): number {
  if (!v.length) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Each shifted series: the unshifted source, then its copies of one preset by increasing severity. */
function seriesOf(records: EvaluationRecord[]): EvaluationRecord[][] {
  const out: EvaluationRecord[][] = [];
  for (const source of records.filter((r) => r.preset === null)) {
    const presets = [...new Set(records.filter((r) => r.source === source.source && r.preset).map((r) => r.preset!))];
    for (const p of presets) out.push([source, ...records.filter((r) => r.source === source.source && r.preset === p).sort((a, b) => a.severity - b.severity)]);
  }
  return out;
}

/** What severity 4 of each preset costs the baseline on the in-domain validation scans (the shifted copies use the presets that hurt). */
function presetSection(checks: PresetCheck[]): string[] {
  const sources = [...new Set(checks.map((c) => c.source))];
  const at = (source: string, preset: string | null) => checks.find((c) => c.source === source && c.preset === preset);
  const out = [
    `### Simulated shifts: what severity ${CHECK_SEVERITY} costs the baseline`,
    '',
    `Baseline mean Dice (NCR/ED/ET) of each preset at severity ${CHECK_SEVERITY} on the in-domain validation scans, and its drop from the unshifted scan. A preset "hurts" when its mean drop over these scans is ≥ ${HURTS}; the ones that do not are named \`*-mild\` (or are the control), so no name promises a harmful shift. Records: \`bench/runs/presets/\`.`,
    '',
    ...header(['preset', 'what it mimics', ...sources.flatMap((s) => [`${s} mean Dice`, 'drop']), 'mean drop', 'hurts']),
  ];
  out.push(row(['(unshifted)', '', ...sources.flatMap((s) => [f3((at(s, null) ? meanClassDice(at(s, null)!) : NaN)), '']), '', '']));
  for (const preset of SHIFT_PRESET_NAMES) {
    const drops = sources.map((s) => {
      const a = at(s, null);
      const b = at(s, preset);
      return a && b ? meanClassDice(a) - meanClassDice(b) : NaN;
    });
    out.push(row([`\`${preset}\``, SHIFT_PRESETS[preset].summary.split(/[:;(]/)[0].trim(), ...sources.flatMap((s, i) => [f3((at(s, preset) ? meanClassDice(at(s, preset)!) : NaN)), signed(-drops[i])]), signed(-mean(drops)), mean(drops) >= HURTS ? 'yes' : 'no']));
  }
  out.push('');
  return out;
}
