import { describe, expect, it } from 'vitest';
import { defaultPlanOptions, jobCost, reportPlan, shardJobs, variantOf } from './plan.ts';
import { meanClassDice } from '../../core/metrics/dice.ts';
import { gatePolicy, reportMarkdown, spliceReport, REPORT_BEGIN, REPORT_END } from './sections.ts';
import { lineChartSvg, niceTicks, scatterSvg } from './svg.ts';
import type { ReportJob, ReportRecord } from './types.ts';

const split = { target: ['T1', 'T2'], validation: ['V1', 'V2'] };

/** A fake record whose Dice is a made-up function of the scan and mode (the report must not care). */
function recordFor(job: ReportJob, iterations = job.iterations, diceOf: (j: ReportJob) => number): ReportRecord {
  const d = diceOf(job);
  return {
    ...job.variant, key: job.key, section: job.section, mode: job.mode, optimizer: job.optimizer, learningRate: job.learningRate,
    iterations, chosenIteration: Math.min(iterations, 3), shiftScore: 1 + job.variant.severity * 2 + (job.variant.group === 'institution 1' ? 1 : 0),
    lossCurve: Array.from({ length: iterations + 1 }, (_, i) => 10 - i * 0.1),
    dice: { NCR: d, ED: d, ET: d, ET_region: d, TC: d, WT: d }, seconds: 1, date: '2026-11-27T00:00:00Z', machine: 'test machine',
  };
}

function recordsFor(jobs: ReportJob[], diceOf: (j: ReportJob) => number) {
  return new Map(jobs.map((j) => [j.key, j.budgets ? j.budgets.map((b) => recordFor(j, b, diceOf)) : [recordFor(j, j.iterations, diceOf)]]));
}

describe('report plan', () => {
  const jobs = reportPlan(split, defaultPlanOptions(split));

  it('lists each run once: the table, the sweep without its severity 0 duplicates, the sensitivity grid', () => {
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
    expect(jobs.filter((j) => j.section === 'table')).toHaveLength(4 * 5);
    // 2 cases × 2 presets × 2 severities × 3 modes; severity 0 is the table's run
    expect(jobs.filter((j) => j.section === 'sweep')).toHaveLength(24);
    expect(jobs.filter((j) => j.section === 'sensitivity').map((j) => j.budgets)).toEqual(new Array(4).fill([10, 20, 30]));
    expect(variantOf(split, 'T1', 'low-field', 3).case).toBe('T1-low-field-s3');
    expect(variantOf(split, 'T1', 'low-field', 0)).toMatchObject({ case: 'T1', preset: null });
    expect(() => variantOf(split, 'X9', null, 0)).toThrow(/neither a target nor a validation case/);
  });

  it('shards partition the plan and balance the cost', () => {
    const shards = [0, 1, 2].map((i) => shardJobs(jobs, i, 3));
    expect(shards.flat().map((j) => j.key).sort()).toEqual(jobs.map((j) => j.key).sort());
    const costs = shards.map((s) => s.reduce((a, j) => a + jobCost(j), 0));
    expect(Math.max(...costs) - Math.min(...costs)).toBeLessThan(Math.max(...jobs.map(jobCost)));
  });
});

describe('report sections', () => {
  const jobs = reportPlan(split, defaultPlanOptions(split));
  // No adaptation loses Dice with severity; bn wins back half of it; everything else stays flat.
  const diceOf = (j: ReportJob) => 0.9 - 0.1 * j.variant.severity + (j.mode === 'bn' ? 0.05 * j.variant.severity : 0) + (j.variant.group === 'institution 1' && j.mode === 'normalizer' ? -0.2 : 0);
  const byKey = recordsFor(jobs, diceOf);
  const { markdown, figures } = reportMarkdown(jobs, byKey, { figureDir: 'bench/figures', commandLine: 'npx attune report' });

  it('has the five sections, the command and the machine', () => {
    for (const h of ['Table 2 analog', 'Severity sweep', 'Figure 8 analog', 'Sensitivity', 'Gated policy', 'What the numbers say']) expect(markdown).toContain(h);
    expect(markdown).toContain('npx attune report');
    expect(markdown).toContain('test machine');
    expect(figures.map((f) => f.file)).toEqual(['bench/figures/severity-sweep.svg', 'bench/figures/shift-score-vs-dice.svg']);
  });

  it('computes the numbers from the records: Δ per mode, sweep rows, a perfect negative correlation', () => {
    // institution 1 normalizer: 0.9 − 0.2 → Δ −0.200
    expect(markdown).toMatch(/\| normalizer \| 0\.700 \| 0\.700 \| 0\.700 \| 0\.700 \| 0\.700 \| 0\.700 \| −0\.200 \|/);
    // low-field severity 4: none 0.5, bn 0.7, adabn 0.5 → Δ bn +0.200
    expect(markdown).toMatch(/\| low-field \| 4 \| 9\.500 \| 0\.500 \| 0\.700 \| 0\.500 \| \+0\.200 \| \+0\.000 \|/);
    // shift score rises with severity exactly as Dice falls (up to the group offset): r < −0.9
    const r = Number(/Pearson r\(shift score, mean Dice NCR\/ED\/ET\) = \*\*(-?[0-9.]+)\*\*/.exec(markdown)![1]);
    expect(r).toBeLessThan(-0.9);
    expect(markdown).toMatch(/Shift score vs Dice without adaptation: Pearson r = -0\.\d\d over 12 scans — scans further from the training statistics were segmented worse/);
    // bn: 12 scans (4 real, shift 1 or 2, none = bn = 0.9; 8 shifted, shift 5…10, none 0.7 / 0.5,
    // bn 0.8 / 0.7). Never 8.4/12 = 0.700, always 9.6/12 = 0.800; every T in [2, 5) reaches
    // 0.800 and ties go to the larger T, so T = 2 adapts the 8 shifted scans. Without any one
    // scan the same T is chosen, so leave-one-out is 0.800 too: no better than always.
    expect(markdown).toContain('- Gating **bn** at T = 2.00 (8/12 scans adapted): 0.800 in-sample vs never 0.700 / always 0.800; leave-one-out 0.800 — no evidence the gate beats the better of never/always on unseen scans.');
    // normalizer (table only): it costs institution 1 0.2 and ties elsewhere, so no T beats never adapting.
    expect(markdown).toContain('- Gating **normalizer** at T = 2.00 (0/4 scans adapted): 0.900 in-sample vs never 0.900 / always 0.800; leave-one-out 0.900 — never adapting was best on these scans.');
    expect(figures[0].svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(figures[0].svg.match(/<polyline/g)).toHaveLength(2 * 3); // 2 presets × 3 modes
    expect(markdown).toMatch(/\| low-field \| 0 \| 1\.500 \| 0\.900 \| 0\.900 \| 0\.900 \|/); // severity 0 = the real scan (table runs)
  });

  it('the gate adapts exactly the scans where adapting helps when a threshold separates them', () => {
    const pairs = [
      { shift: 1, none: 0.9, adapted: 0.85 },
      { shift: 2, none: 0.9, adapted: 0.88 },
      { shift: 5, none: 0.6, adapted: 0.7 },
      { shift: 8, none: 0.5, adapted: 0.7 },
    ];
    const g = gatePolicy(pairs, 'bn')!;
    expect(g.threshold).toBe(2);
    expect(g.adapted).toBe(2);
    expect(g.gated).toBeCloseTo((0.9 + 0.9 + 0.7 + 0.7) / 4, 10);
    expect(g.gated).toBeGreaterThan(Math.max(g.never, g.always));
    expect(gatePolicy(pairs.slice(0, 1), 'bn')).toBeNull();
    // always better → T = −∞
    expect(gatePolicy(pairs.map((p) => ({ ...p, adapted: p.none + 0.1 })), 'bn')!.threshold).toBe(-Infinity);
  });

  it('meanClassDice ignores absent classes', () => {
    expect(meanClassDice({ dice: { NCR: null, ED: 0.5, ET: 1, ET_region: 1, TC: 1, WT: 1 } })).toBe(0.75);
  });

  it('splices only the generated block of BENCHMARKS.md', () => {
    const first = spliceReport('# Benchmarks\n\nhand-written\n', 'A');
    expect(first).toContain('hand-written');
    const again = spliceReport(first + '\nafter\n', 'B');
    expect(again).toContain(`${REPORT_BEGIN}\nB\n${REPORT_END}`);
    expect(again).not.toContain('\nA\n');
    expect(again).toContain('hand-written');
    expect(again).toContain('after');
  });
});

describe('svg charts', () => {
  it('ticks are round and cover the range', () => {
    expect(niceTicks(0.52, 0.91)).toEqual([0.6, 0.7, 0.8, 0.9]);
    expect(niceTicks(0, 4)).toEqual([0, 1, 2, 3, 4]);
  });
  it('draws every point and escapes text', () => {
    const svg = scatterSvg([{ x: 1, y: 2, group: 'a<b' }, { x: 2, y: 3, group: 'c' }], { title: 't', xLabel: 'x', yLabel: 'y', caption: 'r = 1' });
    expect(svg.match(/<circle/g)!.length).toBe(2 + 2); // points + legend
    expect(svg).toContain('a&lt;b');
    expect(() => lineChartSvg([], { xLabel: 'x', yLabel: 'y' })).toThrow(/no points/);
  });
});
