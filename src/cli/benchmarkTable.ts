import type { DiceKey } from '../core/metrics/dice.ts';
import { mean } from './markdown.ts';
import type { AdaptMode } from '../core/tta/index.ts';
import type { AutoDecision } from '../core/decision/index.ts';

export interface BenchmarkRecord {
  case: string;
  mode: AdaptMode | 'auto';
  /** auto: what it decided and the evidence behind it. */
  decision?: AutoDecision;
  dice: Record<DiceKey, number | null> | null;
  hd95: Record<DiceKey, number | null> | null;
  shiftScore: number;
  lossCurve: number[];
  chosenIteration: number;
  seconds: number;
}

const COLS: [string, (r: BenchmarkRecord) => number | null | undefined][] = [
  ['NCR', (r) => r.dice?.NCR], ['ED', (r) => r.dice?.ED], ['ET', (r) => r.dice?.ET],
  ['ET(r)', (r) => r.dice?.ET_region], ['TC', (r) => r.dice?.TC], ['WT', (r) => r.dice?.WT],
  ['HD95 ET', (r) => r.hd95?.ET_region], ['HD95 TC', (r) => r.hd95?.TC], ['HD95 WT', (r) => r.hd95?.WT],
  ['shift', (r) => r.shiftScore], ['it*', (r) => r.chosenIteration], ['s', (r) => r.seconds],
];

const fmt = (v: number | null | undefined, col: string) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : col.startsWith('HD') || col === 's' ? v.toFixed(1) : col === 'it*' ? String(v) : v.toFixed(3);

/** Mean of the finite values of a column (a missing Dice or an undefined HD95 is left out). */
const finiteMean = (v: (number | null | undefined)[]) => mean(v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));

/** The method's table layout: per case and mode, then the mean per mode. */
export function benchmarkTable(records: BenchmarkRecord[], modes: readonly (AdaptMode | 'auto')[]): string {
  const header = ['case', 'mode', ...COLS.map(([c]) => c)];
  const rows = records.map((r) => [r.case, r.mode, ...COLS.map(([c, f]) => fmt(f(r), c))]);
  for (const m of modes) {
    const rs = records.filter((r) => r.mode === m);
    if (rs.length) rows.push(['mean', m, ...COLS.map(([c, f]) => (c === 'it*' ? '' : fmt(finiteMean(rs.map(f)), c)))]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}
