/**
 * Summarises `attune benchmark --json` files: per file (a setting), the mean Dice change
 * against mode none on the same cases, the mean chosen iteration and loss reduction.
 *   npx tsx bench/summarizeRuns.ts runs/*.json [--table]
 * --table also prints every record in the CLI's table layout (the method's Table 2).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { benchmarkTable, type BenchmarkRecord } from '../src/cli/benchmarkTable.ts';
import { header, mean, row, signed } from '../src/cli/markdown.ts';

const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const all = files.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as BenchmarkRecord[]).map((r) => ({ ...r, setting: basename(f, '.json') })));
const none = new Map(all.filter((r) => r.mode === 'none').map((r) => [r.case, r]));
const keys = ['NCR', 'ED', 'ET', 'TC', 'WT'] as const;
console.log(header(['setting', 'cases', ...keys.map((k) => `Δ${k}`), 'mean Δ', 'chosen it.', 'loss drop %']).join('\n'));
for (const setting of [...new Set(all.map((r) => r.setting))]) {
  const rs = all.filter((r) => r.setting === setting && r.mode !== 'none');
  if (!rs.length) continue;
  const deltas = keys.map((k) => mean(rs.flatMap((r) => (r.dice?.[k] != null && none.get(r.case)?.dice?.[k] != null ? [r.dice[k]! - none.get(r.case)!.dice![k]!] : []))));
  const drop = mean(rs.map((r) => (100 * (r.lossCurve[0] - r.lossCurve[r.chosenIteration])) / r.lossCurve[0]));
  console.log(row([setting, rs.length, ...deltas.map(signed), signed(mean(deltas)), mean(rs.map((r) => r.chosenIteration)).toFixed(1), drop.toFixed(1)]));
}

if (process.argv.includes('--table')) {
  const modes = [...new Set(all.map((r) => r.mode))];
  const order = (r: BenchmarkRecord) => modes.indexOf(r.mode);
  console.log('\n' + benchmarkTable([...all].sort((a, b) => a.case.localeCompare(b.case) || order(a) - order(b)), modes));
}
