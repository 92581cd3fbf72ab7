import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One record of bench/rawStudyTruth.ts (the fields the table reads). */
export interface RawStudyRecord {
  scan: string;
  what: string;
  steps: { step: string; seconds: number; peakRssMiB: number }[];
  brain?: { stripped: string; ml: number; hdbetMl: number; diceVsHdbetNativeT1Gd: number };
  registration: Record<string, unknown> & { t1ceErrorMm?: { brainMean: number; brainMax: number } };
  wtDiceVsModelOnOriginal?: number | null;
  tumourMl: Record<string, number>;
  totalSeconds: number;
  backend: string;
  machine: { cpus: number; cpuModel?: string; totalMemGiB: number; loadavgBefore: number[]; loadavgAfter: number[] };
  node: string;
  date: string;
}

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The records of a folder, FG-6692 first, then by name. */
export async function readRawStudyRecords(dir: string): Promise<RawStudyRecord[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const records = await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as RawStudyRecord));
  return records.sort((a, b) => Number(b.scan === 'fg6692') - Number(a.scan === 'fg6692') || a.scan.localeCompare(b.scan));
}

/** Per scan: each step's time and peak memory, then what the result is worth. */
export function rawStudyMarkdown(records: RawStudyRecord[], source: string): string {
  const md = [`Rendered by \`npx tsx bench/rebuildBenchmarks.ts\` from \`${source}\` (written by \`npx tsx bench/rawStudyTruth.ts\`). Peak memory = the Node process's resident set, sampled every 200 ms during the step (one process runs the scans in turn, so a later scan's figure includes what the earlier ones left allocated).`, ''];
  for (const r of records) {
    md.push(`**${r.scan}** — ${r.what}. ${r.backend}, ${r.date.slice(0, 10)}, ${r.machine.cpus}× ${r.machine.cpuModel ?? 'cpu'}, load average ${r.machine.loadavgBefore[0]} → ${r.machine.loadavgAfter[0]}; ${r.totalSeconds} s in all.`, '');
    md.push(row(['step', 'seconds', 'peak RSS (MiB)']), row(['---', '---', '---']));
    for (const s of r.steps) md.push(row([s.step, s.seconds.toFixed(1), s.peakRssMiB]));
    md.push('');
    if (r.brain) md.push(`- Brain mask (${r.brain.stripped === 'model' ? 'MindGrab' : 'the input\'s own'}): ${r.brain.ml} mL; HD-BET's ${r.brain.hdbetMl} mL; **Dice ${r.brain.diceVsHdbetNativeT1Gd.toFixed(3)}** against HD-BET on the native T1Gd grid (target ≥ 0.90).`);
    if (r.registration.t1ceErrorMm) md.push(`- Registration error of the T1Gd over the brain: mean ${r.registration.t1ceErrorMm.brainMean} mm, max ${r.registration.t1ceErrorMm.brainMax} mm (target ≤ 2 mm).`);
    const poor = Object.entries(r.registration).filter(([k, v]) => k !== 't1ceErrorMm' && (v as { problem?: string | null }).problem);
    md.push(`- Registration quality: ${poor.length ? poor.map(([k, v]) => `${k}: ${(v as { problem: string }).problem}`).join('; ') : 'every series passed its bar'} (brain Dice ${Object.entries(r.registration).filter(([k]) => k !== 't1ceErrorMm').map(([k, v]) => `${k} ${(v as { brainDice: number }).brainDice}`).join(', ')}).`);
    if (r.wtDiceVsModelOnOriginal != null) md.push(`- Mask on the native T1Gd grid against the same model run on the BraTS original (carried there by the true motion): **WT Dice ${r.wtDiceVsModelOnOriginal.toFixed(3)}**.`);
    md.push(`- Whole tumour: ${Object.entries(r.tumourMl).map(([k, v]) => `${k} ${v} mL`).join(', ')}.`, '');
  }
  return md.join('\n').trimEnd();
}
