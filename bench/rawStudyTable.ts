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

/** One record of scripts/rawStudyScreenshot.ts (the built app in Chromium; the fields the table reads). */
export interface ChromiumRawStudyRecord {
  date: string;
  runtime: string;
  backend: string;
  study: string;
  loadAverage: number[];
  preparedSeconds: number;
  /** The QC screen's text: its step timings are lines "step<TAB>12.3 s". */
  qc: string;
  results: string;
  native: string;
  chromiumMemoryMiB?: { peak: MemoryPeak; byStep: Record<string, MemoryPeak>; everyMs: number };
  foreignRequests?: string[];
}
type MemoryPeak = { rendererRssMiB: number; totalPssMiB: number };

/** The Chromium records of a folder (the JSON files directly in it), oldest first. */
export async function readChromiumRawStudyRecords(dir: string): Promise<{ file: string; record: ChromiumRawStudyRecord }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f.includes('chromium')).sort();
  const records = await Promise.all(files.map(async (file) => ({ file, record: JSON.parse(await readFile(join(dir, file), 'utf8')) as ChromiumRawStudyRecord })));
  return records.sort((a, b) => a.record.date.localeCompare(b.record.date) || a.file.localeCompare(b.file));
}

/** Per browser record: the QC screen's step times and, where sampled, Chromium's peak memory per step. */
export function chromiumRawStudyMarkdown(records: { file: string; record: ChromiumRawStudyRecord }[], source: string): string {
  const md = [
    `Rendered by \`npx tsx bench/rebuildBenchmarks.ts\` from the Chromium records in \`${source}\` (written by \`scripts/rawStudyScreenshot.ts\`: the built app, Debian's Chromium, a raw study dropped, prepared, QC, Accept, Run). Step times are the QC screen's. Peak memory (where sampled, every 500 ms from /proc): the renderer's resident set — the tab, its raw-study worker and their wasm heaps — and the proportional set size of all Chromium processes; a step shorter than the 2 s progress poll has no memory row of its own.`,
    '',
  ];
  for (const { file, record: r } of records) {
    const steps = [...r.qc.matchAll(/^(.+)\t([\d.]+) s$/gm)].map((m) => ({ step: m[1], seconds: Number(m[2]) }));
    const mem = r.chromiumMemoryMiB;
    md.push(`**${file}** — ${r.study.replace(/^.*\/shared\//, '../shared/')}, ${r.runtime}, ${r.backend}, ${r.date.slice(0, 10)}, load average ${r.loadAverage.map((v) => v.toFixed(2)).join(' / ')} at the end; prepared in ${r.preparedSeconds.toFixed(0)} s as polled.${r.foreignRequests ? ` Requests outside the app's origin: ${r.foreignRequests.length}.` : ''}`, '');
    md.push(row(['step', 'seconds', ...(mem ? ['peak renderer RSS (MiB)', 'peak Chromium PSS (MiB)'] : [])]), row(['---', '---', ...(mem ? ['---', '---'] : [])]));
    for (const s of steps) {
      const m = mem?.byStep[s.step];
      md.push(row([s.step, s.seconds.toFixed(1), ...(mem ? [m ? m.rendererRssMiB : '—', m ? m.totalPssMiB : '—'] : [])]));
    }
    if (mem) for (const after of Object.keys(mem.byStep).filter((k) => k === 'QC screen' || k.startsWith('accept') || k.startsWith('run ('))) md.push(row([after, '', mem.byStep[after].rendererRssMiB, mem.byStep[after].totalPssMiB]));
    md.push('');
    md.push(mem ? `- Peak over the whole session: renderer ${mem.peak.rendererRssMiB} MiB, all Chromium processes ${mem.peak.totalPssMiB} MiB (PSS).` : '- Memory was not sampled (the record predates `scripts/chromiumMemory.ts`).');
    if (r.results) md.push(`- Results: ${r.results.split('\n').slice(1).join('; ').replace(/\t/g, ' · ')}.`);
    if (r.native) md.push(`- ${r.native}`);
    md.push('');
  }
  return md.join('\n').trimEnd();
}
