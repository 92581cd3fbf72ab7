/**
 * BENCHMARKS.md's speed tables, rebuilt from the raw output committed in `bench/results/`:
 * the log `npm run bench` printed (P1–P3) and the JSON records `bench/gpuNode.ts` wrote on
 * the H200. Pure: text and parsed JSON in, Markdown out (`generatedBlocks.ts` reads the
 * files). A log line this parser does not know is an error, not a silent gap, so a changed
 * `bench/run.ts` output cannot quietly drop a figure from a table.
 */

/** A target as the log prints it, e.g. "≤ 4×" or "≤ 1024 MiB". */
export interface Target {
  max: number;
  unit: string;
}

export interface ModeTiming {
  mode: string;
  iterations: number;
  adaptSeconds: number;
  finalSeconds: number;
  ratio: number;
  target: Target;
}

export interface ModeMemory {
  mode: string;
  heapMiB: number;
  inferenceMiB: number;
  /** How the adaptation was split, as the log says it (e.g. "adaptation in passes of 2 of the 8 statistics slices"). */
  passes: string;
  target: Target;
}

export interface AutoTiming {
  /** "as decided" or "forced to adapt". */
  kind: string;
  seconds: number;
  toBaseline: number;
  toMode: number;
  target: Target;
  /** The decision in the words the rule of that run used. */
  decision: string;
  /** What the target bounds: `toMode` (issue 22's logs) or `toBaseline` (issue 23: ≤ 6× the baseline alone). */
  targetOn: 'mode' | 'baseline';
  /**
   * What `toMode` divides by: "the app's run of the mode it adapts with" (logs before issue 22,
   * pieced together from other timings) or "a run of <variant>" timed as one run in the same page.
   */
  against: string;
}

export interface BenchLog {
  machine: string;
  date: string;
  backend: string;
  case: string;
  shape: string;
  baselineSeconds: number;
  p1: ModeTiming[];
  p3: ModeMemory[];
  auto: AutoTiming[];
  /** A run of the variant auto adapts with, timed as one run (logs since issue 22). */
  variantRun: { variant: string; iterations: number; seconds: number } | null;
  p2: { tfjsMs: number; torchMs: number; threads: number; ratio: number; target: Target } | null;
}

const NUM = '([0-9]+(?:\\.[0-9]+)?)';
const TARGET = '\\(target ≤ ([0-9.]+) ?(×|MiB)\\)';
const LINES = {
  machine: /^machine: (.+); (\d{4}-\d\d-\d\dT[0-9:.]+Z)$/,
  baseline: new RegExp(`^\\[(.+)\\] case (\\S+) (\\S+): baseline inference ${NUM} s$`),
  p1: new RegExp(`^P1 (\\w+): \\((\\d+) iterations ${NUM} s \\+ final ${NUM} s\\) / baseline = ${NUM}× ${TARGET}$`),
  p3: new RegExp(`^P3 (\\w+): wasm heap high-water mark (\\d+) MiB after this mode \\(inference alone: (\\d+) MiB; ([^)]+)\\) ${TARGET}$`),
  auto: new RegExp(`^P1 auto \\(([^)]+)\\): ${NUM} s = ${NUM}× baseline; ${NUM}× the app's run of the mode it adapts with ${TARGET} — (.+)$`),
  autoVsRun: new RegExp(`^P1 auto \\(([^)]+)\\): ${NUM} s = ${NUM}× the baseline alone; ${NUM}× a run of (\\S+) ${TARGET} — (?:met|NOT met); (.+)$`),
  autoVsBaseline: new RegExp(`^P1 auto \\(([^)]+)\\): ${NUM} s = ${NUM}× the baseline alone ${TARGET} — (?:met|NOT met); ${NUM}× a run of (\\S+); (.+)$`),
  candidatesRun: new RegExp(`^P1 a run of (\\S+), the candidates auto adapts with \\(baseline \\+ (\\d+) iterations and final inference each, timed as one run\\): ${NUM} s$`),
  variantRun: new RegExp(`^P1 a run of (\\S+), the variant auto adapts with \\(baseline \\+ (\\d+) iterations \\+ final inference, timed as one run\\): ${NUM} s$`),
  p2: new RegExp(`^P2: tfjs wasm ${NUM} ms/slice vs PyTorch CPU \\((\\d+) threads?\\) ${NUM} ms/slice = ${NUM}× ${TARGET}$`),
};
/** Lines npm and the shell add around the bench's own output. */
const IGNORED = [/^$/, /^> /, /^exit \d+$/];

const target = (max: string, unit: string): Target => ({ max: Number(max), unit });

/** Parses the output of `npm run bench` (bench/run.ts) as committed in bench/results/*.log. */
export function parseBenchLog(text: string, file = 'the log'): BenchLog {
  const log: Partial<BenchLog> & Pick<BenchLog, 'p1' | 'p3' | 'auto'> = { p1: [], p3: [], auto: [], variantRun: null, p2: null };
  let m: RegExpExecArray | null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (IGNORED.some((r) => r.test(line))) continue;
    if ((m = LINES.machine.exec(line))) [log.machine, log.date] = [m[1], m[2]];
    else if ((m = LINES.baseline.exec(line))) [log.backend, log.case, log.shape, log.baselineSeconds] = [m[1], m[2], m[3], Number(m[4])];
    else if ((m = LINES.auto.exec(line))) log.auto.push({ kind: m[1], seconds: Number(m[2]), toBaseline: Number(m[3]), toMode: Number(m[4]), target: target(m[5], m[6]), decision: m[7], against: "the app's run of the mode it adapts with", targetOn: 'mode' });
    else if ((m = LINES.autoVsRun.exec(line))) log.auto.push({ kind: m[1], seconds: Number(m[2]), toBaseline: Number(m[3]), toMode: Number(m[4]), target: target(m[6], m[7]), decision: m[8], against: `a run of ${m[5]} (timed in the same page)`, targetOn: 'mode' });
    else if ((m = LINES.autoVsBaseline.exec(line))) log.auto.push({ kind: m[1], seconds: Number(m[2]), toBaseline: Number(m[3]), target: target(m[4], m[5]), toMode: Number(m[6]), decision: m[8], against: `a run of ${m[7]} (timed in the same page)`, targetOn: 'baseline' });
    else if ((m = LINES.candidatesRun.exec(line))) log.variantRun = { variant: m[1], iterations: Number(m[2]), seconds: Number(m[3]) };
    else if ((m = LINES.variantRun.exec(line))) log.variantRun = { variant: m[1], iterations: Number(m[2]), seconds: Number(m[3]) };
    else if ((m = LINES.p1.exec(line))) log.p1.push({ mode: m[1], iterations: Number(m[2]), adaptSeconds: Number(m[3]), finalSeconds: Number(m[4]), ratio: Number(m[5]), target: target(m[6], m[7]) });
    else if ((m = LINES.p3.exec(line))) log.p3.push({ mode: m[1], heapMiB: Number(m[2]), inferenceMiB: Number(m[3]), passes: m[4], target: target(m[5], m[6]) });
    else if ((m = LINES.p2.exec(line))) log.p2 = { tfjsMs: Number(m[1]), threads: Number(m[2]), torchMs: Number(m[3]), ratio: Number(m[4]), target: target(m[5], m[6]) };
    else throw new Error(`${file}, line ${i + 1}: not a line of npm run bench's output this parser knows: "${line}"`);
  }
  if (log.machine === undefined) throw new Error(`${file}: no "machine: …; <date>" line`);
  if (log.baselineSeconds === undefined) throw new Error(`${file}: no "[backend] case …: baseline inference … s" line`);
  return log as BenchLog;
}

const met = (value: number, t: Target) => `≤ ${t.max}${t.unit === '×' ? '×' : ` ${t.unit}`} — ${value <= t.max ? '**met**' : 'not met'}`;
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const s2 = (v: number) => v.toFixed(2);
/** 30820 → "30,820", whatever the machine's locale. */
const thousands = (v: number) => String(v).replace(/\B(?=(\d{3})+$)/g, ',');

/**
 * The figures of one `npm run bench` log as a table (figure, measured, target), then auto's
 * decisions in that run's own words. `source` is the log's path, named in the first line.
 */
export function benchLogMarkdown(log: BenchLog, source: string): string {
  const slices = log.shape.split('×')[0];
  const md = [
    `Rendered by \`npx tsx bench/rebuildBenchmarks.ts\` from \`${source}\` (the raw output of \`npm run bench\`, ${log.date.replace(/\.\d+Z$/, 'Z')}, ${log.machine}; ${log.backend}, case ${log.case} cropped to ${log.shape}).`,
    '',
    row(['figure', 'measured', 'target']),
    row(['---', '---', '---']),
    row([`baseline inference (${slices} slices)`, `${s2(log.baselineSeconds)} s`, '—']),
  ];
  for (const p of log.p1) md.push(row([`P1 ${p.mode}: (${p.iterations} iterations + final inference) / baseline`, `**${s2(p.ratio)}×** (${s2(p.adaptSeconds)} s + ${s2(p.finalSeconds)} s)`, met(p.ratio, p.target)]));
  if (log.variantRun) md.push(row([`P1 a run of ${log.variantRun.variant} (baseline + ${log.variantRun.iterations} iterations + final inference, one run)`, `${s2(log.variantRun.seconds)} s`, '—']));
  for (const a of log.auto) {
    md.push(a.targetOn === 'mode'
      ? row([`P1 \`auto\`, ${a.kind}`, `${s2(a.seconds)} s = ${s2(a.toBaseline)}× baseline; **${s2(a.toMode)}×** ${a.against}`, met(a.toMode, a.target)])
      : row([`P1 \`auto\`, ${a.kind}`, `${s2(a.seconds)} s = **${s2(a.toBaseline)}× baseline**; ${s2(a.toMode)}× ${a.against}`, met(a.toBaseline, a.target)]));
  }
  if (log.p2) md.push(row([`P2 per-slice forward, tfjs wasm / PyTorch CPU (${log.p2.threads} thread${log.p2.threads === 1 ? '' : 's'})`, `${log.p2.tfjsMs.toFixed(1)} / ${log.p2.torchMs.toFixed(1)} ms = **${s2(log.p2.ratio)}×**`, met(log.p2.ratio, log.p2.target)]));
  for (const p of log.p3) md.push(row([`P3 ${p.mode}: wasm heap high-water mark (${p.passes})`, `**${p.heapMiB} MiB** (inference alone ${p.inferenceMiB} MiB)`, met(p.heapMiB, p.target)]));
  if (log.auto.length) {
    md.push('', "`auto`'s decisions in this run, in the words of the rule it ran then:");
    for (const a of log.auto) md.push(`- ${a.kind}: ${a.decision}`);
  }
  return md.join('\n');
}

/** One adaptation run of `bench/gpuNode.ts` (its JSON record, `runs[]`). */
export interface GpuRun {
  mode: string;
  adaptBatchSize: number;
  adaptSeconds: number;
  segmentSeconds: number;
  p1: number;
  kernelsIn2Iterations?: number;
  gpuPoolMiB?: number;
}

/** What `bench/gpuNode.ts` writes (the fields the table reads). */
export interface GpuRecord {
  date: string;
  case: number[];
  iterations: number;
  inference: { batch8: number; batch32: number };
  forwardMsPerSlice: number;
  runs: GpuRun[];
}

/** The PyTorch reference lines (`bench/pytorch_forward.py`'s JSON, one per device). */
export interface TorchForward {
  forwardMsPerSlice: number;
  threads: number;
  shape: number[];
  device: string;
}

export function parseTorchForwards(text: string): TorchForward[] {
  return text.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as TorchForward);
}

/**
 * The H200 table: one column per gpuNode record (a label and its file), the rows the runs
 * have in common; a run a record does not hold is "—". PyTorch's per-slice forward on the
 * same machine (batch 1, CUDA) closes the table.
 */
export function gpuMarkdown(columns: { label: string; file: string; record: GpuRecord }[], torch: { file: string; lines: TorchForward[] }): string {
  const run = (r: GpuRecord, mode: string, batch: number) => r.runs.find((x) => x.mode === mode && x.adaptBatchSize === batch);
  const cell = (f: (r: GpuRecord) => string | undefined) => columns.map((c) => f(c.record) ?? '—');
  const secs = (r: GpuRecord, mode: string, batch: number) => {
    const x = run(r, mode, batch);
    return x && `${x.adaptSeconds.toFixed(1)} s`;
  };
  const pair = (a: string | undefined, b: string | undefined) => (a || b ? `${a ?? '—'} / ${b ?? '—'}` : undefined);
  const kernels = (r: GpuRecord, batch: number) => {
    const k = run(r, 'bn', batch)?.kernelsIn2Iterations;
    return k === undefined ? undefined : thousands(k);
  };
  const pool = (r: GpuRecord) => {
    const v = r.runs.map((x) => x.gpuPoolMiB).filter((x): x is number => x !== undefined).map((x) => thousands(Math.round(x)));
    return v.length ? `${[...new Set([v[0], v[v.length - 1]])].join(' → ')} MiB` : undefined;
  };
  const first = columns[0].record;
  const cuda = torch.lines.find((l) => l.device !== 'cpu');
  const md = [
    `Rendered by \`npx tsx bench/rebuildBenchmarks.ts\` from ${columns.map((c) => `\`${c.file}\``).join(', ')} and \`${torch.file}\`; case ${first.case.slice(0, 3).join('×')}, ${first.iterations} iterations.`,
    '',
    row(['figure', ...columns.map((c) => `${c.label} (${c.record.date.slice(11, 16)} UTC)`)]),
    row(['---', ...columns.map(() => '---')]),
    row(['inference of the case, batch 8 / 32 slices', ...cell((r) => `${s2(r.inference.batch8)} / ${s2(r.inference.batch32)} s`)]),
    row(['per-slice forward, batch 1 (latency-bound)', ...cell((r) => `${r.forwardMsPerSlice.toFixed(1)} ms`)]),
    row([`bn, ${first.iterations} iterations, 8 slices per pass`, ...cell((r) => secs(r, 'bn', 8))]),
    row([`bn, ${first.iterations} iterations, 2 slices per pass`, ...cell((r) => secs(r, 'bn', 2))]),
    row([`normalizer, ${first.iterations} iterations, 8 / 2 slices per pass`, ...cell((r) => pair(secs(r, 'normalizer', 8), secs(r, 'normalizer', 2)))]),
    row(['**P1 bn** (adaptation + final inference) / inference, 8 slices per pass', ...cell((r) => run(r, 'bn', 8) && `**${run(r, 'bn', 8)!.p1.toFixed(1)}×**`)]),
    row(['kernels for 2 iterations + one inference, bn, 8 / 2 slices per pass', ...cell((r) => pair(kernels(r, 8), kernels(r, 2)))]),
    row(["tfjs's GPU buffer pool, after the first → last run of the process", ...cell(pool)]),
  ];
  if (cuda) md.push('', `PyTorch on the same machine (\`bench/pytorch_forward.py\`, batch 1, ${cuda.device}): ${cuda.forwardMsPerSlice.toFixed(1)} ms per slice.`);
  return md.join('\n');
}
