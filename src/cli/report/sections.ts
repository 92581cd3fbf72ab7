import { meanClassDice } from '../../core/metrics/dice.ts';
import { pearson } from '../../core/metrics/pearson.ts';
import { f3, header, mean, row, signed } from '../markdown.ts';
import type { AdaptMode } from '../../core/tta/index.ts';
import { lineChartSvg, scatterSvg, type Panel } from './svg.ts';
import type { CaseGroup, ReportJob, ReportRecord } from './types.ts';

export interface ReportContext {
  /** Where the figures are written, relative to BENCHMARKS.md. */
  figureDir: string;
  commandLine: string;
}

export interface ReportOutput {
  markdown: string;
  figures: { file: string; svg: string }[];
}

const COLUMNS = ['NCR', 'ED', 'ET', 'TC', 'WT'] as const;
const GROUPS: CaseGroup[] = ['institution 1', 'in-domain validation'];


/** The records of these jobs (budget records only where asked). */
function recordsOf(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>): ReportRecord[] {
  return jobs.flatMap((j) => byKey.get(j.key) ?? []);
}

/** Default-setting records per scan: none / mode pairs for Δ, the scatter and the gate. */
function defaultRecords(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>): ReportRecord[] {
  return recordsOf(jobs.filter((j) => j.section !== 'sensitivity' || j.mode === 'none'), byKey);
}

function tableTwo(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, modes: AdaptMode[]): string[] {
  const recs = recordsOf(jobs.filter((j) => j.section === 'table'), byKey);
  const out = ['### Table 2 analog: trained on institution 18, tested on institution 1 and in-domain', ''];
  out.push('Mean Dice over the cases of each group (ET = label 4; TC = 1+4; WT = 1+2+4); Δ = change of the mean of NCR/ED/ET against no adaptation on the same scans.', '');
  for (const group of GROUPS) {
    const g = recs.filter((r) => r.group === group);
    if (!g.length) continue;
    const cases = [...new Set(g.map((r) => r.case))];
    out.push(`**${group}** (${cases.join(', ')})`, '', ...header(['mode', ...COLUMNS, 'mean NCR/ED/ET', 'Δ', 'chosen it.', 's/scan']));
    const none = mean(g.filter((r) => r.mode === 'none').map(meanClassDice));
    for (const mode of modes) {
      const m = g.filter((r) => r.mode === mode);
      if (!m.length) continue;
      const cols = COLUMNS.map((k) => f3(mean(m.flatMap((r) => (r.dice[k] == null ? [] : [r.dice[k]!])))));
      const mc = mean(m.map(meanClassDice));
      out.push(row([mode, ...cols, f3(mc), mode === 'none' ? '' : signed(mc - none), mode === 'none' ? '' : m.map((r) => r.chosenIteration).join(', '), mean(m.map((r) => r.seconds)).toFixed(0)]));
    }
    out.push('');
  }
  out.push('<details><summary>Per case</summary>', '', ...header(['case', 'mode', ...COLUMNS, 'shift score', 'chosen it.']));
  for (const r of recs) out.push(row([r.case, r.mode, ...COLUMNS.map((k) => f3(r.dice[k] ?? NaN)), r.shiftScore.toFixed(3), r.mode === 'none' ? '' : r.chosenIteration]));
  out.push('', '</details>', '');
  return out;
}

function severitySweep(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, ctx: ReportContext, figures: ReportOutput['figures']): string[] {
  const sweepJobs = jobs.filter((j) => j.section === 'sweep');
  const presets = [...new Set(sweepJobs.flatMap((j) => (j.variant.preset ? [j.variant.preset] : [])))];
  const modes = [...new Set(sweepJobs.map((j) => j.mode))];
  const sources = [...new Set(sweepJobs.map((j) => j.variant.source))];
  const all = defaultRecords(jobs, byKey);
  const at = (source: string, preset: string, severity: number, mode: AdaptMode) =>
    all.find((r) => r.source === source && r.mode === mode && r.severity === severity && (severity === 0 ? r.preset === null : r.preset === preset));
  // Severity 0 is the real scan, whose runs the table already holds.
  const severities = [...new Set([0, ...sweepJobs.map((j) => j.variant.severity)])].sort((a, b) => a - b);
  const out = ['### Severity sweep: simulated scanner shifts of real scans', ''];
  out.push(`Cases ${sources.join(', ')} through \`src/core/shift\` presets (seed 1) at severities ${severities.join(', ')} (0 = the real scan); mean Dice over NCR/ED/ET, averaged over the cases; Δ against no adaptation.`, '');
  out.push(...header(['preset', 'severity', 'shift score', ...modes, ...modes.filter((m) => m !== 'none').map((m) => `Δ ${m}`)]));
  const panels: Panel[] = [];
  for (const preset of presets) {
    const series = new Map(modes.map((m) => [m, [] as [number, number][]]));
    for (const s of severities) {
      const perMode = modes.map((m) => mean(sources.flatMap((src) => { const r = at(src, preset, s, m); return r ? [meanClassDice(r)] : []; })));
      const shift = mean(sources.flatMap((src) => { const r = at(src, preset, s, 'none'); return r ? [r.shiftScore] : []; }));
      perMode.forEach((v, i) => Number.isFinite(v) && series.get(modes[i])!.push([s, v]));
      const none = perMode[modes.indexOf('none')];
      out.push(row([preset, s, f3(shift), ...perMode.map(f3), ...modes.flatMap((m, i) => (m === 'none' ? [] : [signed(perMode[i] - none)]))]));
    }
    panels.push({ title: preset, series: modes.map((m) => ({ name: m, points: series.get(m)! })).filter((x) => x.points.length) });
  }
  if (panels.some((p) => p.series.length)) {
    const file = `${ctx.figureDir}/severity-sweep.svg`;
    figures.push({ file, svg: lineChartSvg(panels, { xLabel: 'severity', yLabel: 'mean Dice NCR/ED/ET' }) });
    out.push('', `![Dice vs severity per mode](${file})`);
  }
  out.push('');
  return out;
}

const uniqueByCase = (rs: ReportRecord[]) => rs.filter((r, i) => rs.findIndex((x) => x.case === r.case) === i);

/** One no-adaptation record per scan (table and sweep), for the scatter, the gate and r. */
const noAdaptation = (all: ReportRecord[]) => uniqueByCase(all.filter((r) => r.mode === 'none'));

/** Pearson r(shift score, mean Dice NCR/ED/ET) over scans without adaptation; null below 2 scans. */
const shiftDiceR = (none: ReportRecord[]) => (none.length >= 2 ? pearson(none.map((x) => x.shiftScore), none.map(meanClassDice)) : null);

/** The method's Figure 8: does the shift score (iteration-0 loss) predict accuracy without adaptation? */
function shiftVsDice(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, ctx: ReportContext, figures: ReportOutput['figures']): string[] {
  const all = defaultRecords(jobs, byKey);
  const none = noAdaptation(all);
  const out = ['### Shift score vs accuracy (Figure 8 analog)', ''];
  if (none.length < 2) return [...out, 'Needs at least two scans without adaptation.', ''];
  const r = shiftDiceR(none);
  const gains = uniqueByCase(all.filter((x) => x.mode === 'bn')).flatMap((b) => {
    const n = none.find((x) => x.case === b.case);
    return n ? [[n.shiftScore, meanClassDice(b) - meanClassDice(n)] as [number, number]] : [];
  });
  const rGain = gains.length >= 2 ? pearson(gains.map((g) => g[0]), gains.map((g) => g[1])) : null;
  const file = `${ctx.figureDir}/shift-score-vs-dice.svg`;
  figures.push({
    file,
    svg: scatterSvg(none.map((x) => ({ x: x.shiftScore, y: meanClassDice(x), group: x.preset ? `${x.group}, shifted` : x.group })), {
      title: 'Shift score vs Dice without adaptation',
      xLabel: 'shift score (KL alignment loss at iteration 0)',
      yLabel: 'mean Dice NCR/ED/ET',
      caption: `Pearson r = ${r === null ? 'n/a' : r.toFixed(2)} (n = ${none.length})`,
    }),
  });
  out.push(
    `Every scan of the table and the sweep without adaptation (n = ${none.length}): Pearson r(shift score, mean Dice NCR/ED/ET) = **${r === null ? 'n/a' : r.toFixed(3)}**` +
      (rGain === null ? '.' : `; r(shift score, Dice change by bn) = **${rGain.toFixed(3)}** over ${gains.length} scans.`),
    '',
    `![shift score vs Dice](${file})`,
    '',
  );
  return out;
}


function sensitivity(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>): string[] {
  const sj = jobs.filter((j) => j.section === 'sensitivity' && j.budgets);
  const out = ['### Sensitivity: learning rate × iterations', ''];
  if (!sj.length) return [...out, 'Not run.', ''];
  const scan = sj[0].variant.case;
  const none = defaultRecords(jobs, byKey).find((r) => r.case === scan && r.mode === 'none');
  const budgets = sj[0].budgets!;
  out.push(`Scan ${scan} (${sj[0].variant.group}); Adam; mean Dice NCR/ED/ET after keeping the minimum-loss iterate among the first N iterations (one run per row answers every N); no adaptation: ${none ? f3(meanClassDice(none)) : '–'}. Cell: Δ against no adaptation (chosen iteration).`, '');
  out.push(...header(['mode', 'lr', ...budgets.map((b) => `${b} it.`), 'loss drop at best']));
  for (const j of sj) {
    const rs = byKey.get(j.key) ?? [];
    const cells = budgets.map((b) => {
      const r = rs.find((x) => x.iterations === b);
      return r && none ? `${signed(meanClassDice(r) - meanClassDice(none))} (${r.chosenIteration})` : '–';
    });
    const last = rs[rs.length - 1];
    const drop = last ? (100 * (last.lossCurve[0] - Math.min(...last.lossCurve))) / last.lossCurve[0] : NaN;
    out.push(row([j.mode, j.learningRate, ...cells, Number.isFinite(drop) ? `${drop.toFixed(1)} %` : '–']));
  }
  out.push('');
  return out;
}

export interface GateResult {
  mode: AdaptMode;
  scans: number;
  never: number;
  always: number;
  threshold: number;
  gated: number;
  adapted: number;
  /** Leave-one-scan-out: T chosen without the scan it is applied to. */
  gatedLoo: number;
}

/**
 * "Adapt only when the shift score is above T": T maximises the mean Dice over these scans
 * (−∞ = always; ties go to the larger T, i.e. adapting less), plus a leave-one-out estimate
 * that does not see the scan it decides for.
 */
export function gatePolicy(pairs: { shift: number; none: number; adapted: number }[], mode: AdaptMode): GateResult | null {
  if (pairs.length < 2) return null;
  const value = (T: number, ps: typeof pairs) => mean(ps.map((p) => (p.shift > T ? p.adapted : p.none)));
  const choose = (ps: typeof pairs) => {
    const candidates = [-Infinity, ...ps.map((p) => p.shift)].sort((a, b) => a - b);
    let best = candidates[0];
    for (const T of candidates) if (value(T, ps) >= value(best, ps) - 1e-12) best = T;
    return best;
  };
  const threshold = choose(pairs);
  const loo = pairs.map((p, i) => {
    const T = choose(pairs.filter((_, k) => k !== i));
    return p.shift > T ? p.adapted : p.none;
  });
  return {
    mode,
    scans: pairs.length,
    never: mean(pairs.map((p) => p.none)),
    always: mean(pairs.map((p) => p.adapted)),
    threshold,
    gated: value(threshold, pairs),
    adapted: pairs.filter((p) => p.shift > threshold).length,
    gatedLoo: mean(loo),
  };
}

function gating(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, modes: AdaptMode[]): { lines: string[]; results: GateResult[] } {
  const all = defaultRecords(jobs, byKey);
  const none = noAdaptation(all);
  const out = ['### Gated policy: adapt only when the shift score is above T', ''];
  out.push('Per mode, over every scan with both a no-adaptation and a default-setting adaptation record (table + sweep). T is chosen on these same scans (in-sample, optimistic); the leave-one-out column picks T without the scan it decides for.', '');
  out.push(...header(['mode', 'scans', 'never', 'always', 'T', 'adapted', 'gated (in-sample)', 'gated (leave-one-out)']));
  const results: GateResult[] = [];
  for (const mode of modes.filter((m) => m !== 'none')) {
    const pairs = uniqueByCase(all.filter((r) => r.mode === mode)).flatMap((a) => {
      const n = none.find((x) => x.case === a.case);
      return n ? [{ shift: n.shiftScore, none: meanClassDice(n), adapted: meanClassDice(a) }] : [];
    });
    const g = gatePolicy(pairs, mode);
    if (!g) continue;
    results.push(g);
    out.push(row([mode, g.scans, f3(g.never), f3(g.always), Number.isFinite(g.threshold) ? g.threshold.toFixed(2) : '−∞ (always)', `${g.adapted}/${g.scans}`, f3(g.gated), f3(g.gatedLoo)]));
  }
  out.push('');
  return { lines: out, results };
}

function findings(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, modes: AdaptMode[], gates: GateResult[]): string[] {
  const table = recordsOf(jobs.filter((j) => j.section === 'table'), byKey);
  const all = defaultRecords(jobs, byKey);
  const out = ['### What the numbers say', ''];
  for (const mode of modes.filter((m) => m !== 'none')) {
    const parts = GROUPS.flatMap((group) => {
      const pairs = table.filter((r) => r.group === group && r.mode === mode).flatMap((r) => {
        const n = table.find((x) => x.case === r.case && x.mode === 'none');
        return n ? [meanClassDice(r) - meanClassDice(n)] : [];
      });
      return pairs.length ? [`${group} ${signed(mean(pairs))} (per scan ${pairs.map(signed).join(', ')})`] : [];
    });
    const shifted = uniqueByCase(all.filter((r) => r.mode === mode && r.preset !== null)).flatMap((r) => {
      const n = all.find((x) => x.case === r.case && x.mode === 'none');
      return n ? [{ d: meanClassDice(r) - meanClassDice(n), r }] : [];
    });
    let sweep = '';
    if (shifted.length) {
      const best = shifted.reduce((a, b) => (b.d > a.d ? b : a));
      const worst = shifted.reduce((a, b) => (b.d < a.d ? b : a));
      sweep = `; on ${shifted.length} simulated shifts ${signed(mean(shifted.map((s) => s.d)))} on average, helped on ${shifted.filter((s) => s.d > 0.005).length}, hurt on ${shifted.filter((s) => s.d < -0.005).length} (best ${signed(best.d)} ${best.r.case}, worst ${signed(worst.d)} ${worst.r.case})`;
    }
    if (parts.length || sweep) out.push(`- **${mode}**: mean Dice NCR/ED/ET change ${parts.join('; ')}${sweep}.`);
  }
  for (const g of gates) {
    const verdict =
      g.adapted === 0
        ? 'never adapting was best on these scans'
        : g.adapted === g.scans
          ? 'adapting every scan was best on these scans'
          : g.gatedLoo > Math.max(g.never, g.always) + 0.005
            ? 'the gate beats both never and always, also leave-one-out'
            : 'no evidence the gate beats the better of never/always on unseen scans';
    out.push(`- Gating **${g.mode}** at T = ${Number.isFinite(g.threshold) ? g.threshold.toFixed(2) : '−∞'} (${g.adapted}/${g.scans} scans adapted): ${f3(g.gated)} in-sample vs never ${f3(g.never)} / always ${f3(g.always)}; leave-one-out ${f3(g.gatedLoo)} — ${verdict}.`);
  }
  const none = noAdaptation(all);
  const r = shiftDiceR(none);
  if (r !== null) {
    const reading =
      r <= -0.3
        ? 'scans further from the training statistics were segmented worse, as the method assumes'
        : r >= 0.3
          ? 'scans with a higher shift score were segmented *better*: on these scans the score does not measure harm from the shift'
          : 'no clear relation between the shift score and accuracy';
    out.push(`- Shift score vs Dice without adaptation: Pearson r = ${r.toFixed(2)} over ${none.length} scans — ${reading}.`);
  }
  out.push('');
  return out;
}

/** BENCHMARKS.md's report sections (markdown) and their figures, from the records alone. */
export function reportMarkdown(jobs: ReportJob[], byKey: Map<string, ReportRecord[]>, ctx: ReportContext): ReportOutput {
  const figures: ReportOutput['figures'] = [];
  const recs = recordsOf(jobs, byKey);
  const modes = [...new Set(jobs.filter((j) => j.section === 'table').map((j) => j.mode))];
  const dates = recs.map((r) => r.date).sort();
  const machines = [...new Set(recs.map((r) => r.machine))];
  const gate = gating(jobs, byKey, modes);
  const md = [
    '## Research report (issue 6): generated by `attune report`',
    '',
    `Generated from ${recs.length} scored masks (${jobs.length} runs), run ${dates[0]?.slice(0, 10) ?? '–'} … ${dates[dates.length - 1]?.slice(0, 10) ?? '–'} on ${machines.join('; ') || '–'}.`,
    `Command: \`${ctx.commandLine}\`. Shipped model, default settings per mode (src/core/tta/defaults.ts) unless a section says otherwise. Every number below is rewritten by that command; edit the code, not the numbers.`,
    '',
    ...findings(jobs, byKey, modes, gate.results),
    ...tableTwo(jobs, byKey, modes),
    ...severitySweep(jobs, byKey, ctx, figures),
    ...shiftVsDice(jobs, byKey, ctx, figures),
    ...sensitivity(jobs, byKey),
    ...gate.lines,
  ].join('\n');
  return { markdown: md, figures };
}

export const REPORT_BEGIN = '<!-- attune report: begin (generated; do not edit by hand) -->';
export const REPORT_END = '<!-- attune report: end -->';

/**
 * Replaces a generated block of BENCHMARKS.md between its markers (appends it the first
 * time); the rest stays as written. Default markers: the classic report's.
 */
export function spliceReport(doc: string, markdown: string, begin = REPORT_BEGIN, end = REPORT_END): string {
  const block = `${begin}\n${markdown.trimEnd()}\n${end}`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}
