import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AttuneModel } from '../../core/model/index.ts';
import { defaultPlanOptions, jobCost, reportPlan, shardJobs, type ReportSplit } from './plan.ts';
import { cachedRecords, machineDescription, runJobs } from './runJobs.ts';
import { reportMarkdown, spliceReport } from './sections.ts';
import type { ReportRecord } from './types.ts';
import { parseCalibration } from '../../core/signals/index.ts';
import { CALIBRATION_FILE } from '../calibrate.ts';
import { evaluationScans, externalScans, shardScans } from '../evaluation/plan.ts';
import { caseFolders } from '../caseFolders.ts';
import { EVALUATION_RUNS, loadEvaluationRecords, renderEvaluation, spliceEvaluation } from '../evaluation/render.ts';
import { cachedEvaluation, evaluationComplete, runEvaluation } from '../evaluation/runEvaluation.ts';
import { PRESET_RUNS, runPresetChecks } from '../evaluation/presetChecks.ts';

export const REPORT_FLAGS = ['data', 'runs', 'out', 'shard', 'model', 'backend', 'list', 'part', 'evaluation-runs', 'preset-runs', 'evaluation-cases', 'evaluation-data'] as const;
export const REPORT_SWITCHES = ['render-only'] as const;
export const DEFAULT_DATA = '../shared/data/brats2021';
/** The evaluation's data root: its scans name their folder under it (brats2021/…, upenn-gbm/…). */
export const DEFAULT_EVALUATION_DATA = '../shared/data';
export const DEFAULT_RUNS = 'runs/report';
const FIGURE_DIR = 'bench/figures';

/** Which cases are cross-institution targets and which in-domain validation: from the model's own record. */
export async function splitOf(modelDir: string): Promise<ReportSplit> {
  const json = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8')) as { training?: { targetCases?: string[]; valCases?: string[] } };
  const target = json.training?.targetCases ?? [];
  const validation = json.training?.valCases ?? [];
  if (!target.length || !validation.length) throw new Error(`${modelDir}/model.json names no training.targetCases / valCases: the report needs to know which cases are which`);
  return { target, validation };
}

function parseShard(value: string | undefined): [number, number] | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new Error(`--shard must be i/n with 0 ≤ i < n (e.g. 0/2), got "${value}"`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * Writes a rendered part: its figures beside the document (paths relative to it), then the
 * document with the part's block spliced in (a new document when there is none yet).
 */
async function writeReportPart(out: string, part: { markdown: string; figures: { file: string; svg: string }[] }, splice: (doc: string, markdown: string) => string): Promise<void> {
  for (const f of part.figures) {
    const path = join(dirname(out), f.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.svg);
  }
  const doc = await readFile(out, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(out, splice(doc, part.markdown));
}

/**
 * `attune report`: runs what BENCHMARKS.md's research sections need (skipping runs already
 * in --runs), then rewrites those sections and their SVG figures. With --shard i/n several
 * processes split the runs; whichever finishes last (all runs present) writes the document.
 */
export async function report(flags: Record<string, string>, modelDir: string, loadModel: () => Promise<AttuneModel>, backend: string, log: (s: string) => void): Promise<boolean> {
  const part = flags.part ?? 'all';
  if (!['all', 'classic', 'evaluation'].includes(part)) throw new Error(`--part must be all, classic or evaluation, got "${part}"`);
  let model: AttuneModel | null = null;
  const sharedModel = async () => (model ??= await loadModel());
  const classicDone = part === 'evaluation' || (await classicReport(flags, modelDir, sharedModel, backend, log));
  const evaluationDone = part === 'classic' || (await evaluationReport(flags, modelDir, sharedModel, backend, log));
  return classicDone && evaluationDone;
}

/** The issue-15 part: runs the evaluation scans not yet recorded (shardable), then renders its block. */
async function evaluationReport(flags: Record<string, string>, modelDir: string, loadModel: () => Promise<AttuneModel>, backend: string, log: (s: string) => void): Promise<boolean> {
  const shard = parseShard(flags.shard);
  const dir = resolve(flags['evaluation-runs'] ?? EVALUATION_RUNS);
  const out = resolve(flags.out ?? 'BENCHMARKS.md');
  const calibrationPath = join(modelDir, CALIBRATION_FILE);
  // A researcher's own labelled cases replace the built-in set (no shifted copies, no preset checks).
  const external = flags['evaluation-cases'] ? resolve(flags['evaluation-cases']) : null;
  const data = external ?? resolve(flags['evaluation-data'] ?? DEFAULT_EVALUATION_DATA);
  const scans = external ? externalScans((await caseFolders(external)).map((f) => basename(f))) : evaluationScans();
  const presetDir = external ? null : resolve(flags['preset-runs'] ?? PRESET_RUNS);
  if (!flags['render-only']) {
    const mine = shard ? shardScans(scans, shard[0], shard[1]) : scans;
    const todo: typeof mine = [];
    for (const s of mine) if (!evaluationComplete(s, await cachedEvaluation(dir, s))) todo.push(s);
    log(`report (evaluation): ${scans.length} scans in the plan${shard ? `, ${mine.length} in shard ${shard[0]}/${shard[1]}` : ''}, ${todo.length} still to run`);
    if (flags.list) {
      for (const s of mine) log(`  ${todo.includes(s) ? 'todo' : 'done'} ${s.case}`);
      return false;
    }
    if (presetDir && (!shard || shard[0] === shard[1] - 1)) {
      await runPresetChecks({ data, dir: presetDir, model: await loadModel(), machine: machineDescription(backend), log });
    }
    if (todo.length) {
      const calibration = parseCalibration(JSON.parse(await readFile(calibrationPath, 'utf8').catch(() => { throw new Error(`${calibrationPath} is missing: run \`attune calibrate <training folders>\` first`); })), (await loadModel()).checksum);
      await runEvaluation(todo, { data, dir, model: await loadModel(), calibration, machine: machineDescription(backend), log });
    }
    const { missing } = await loadEvaluationRecords(dir, scans);
    if (missing.length) {
      log(`report (evaluation): ${missing.length} scans of other shards are not finished; the shard that finishes last writes ${out}`);
      return false;
    }
  }
  const { markdown, figures } = await renderEvaluation(dir, calibrationPath, FIGURE_DIR, presetDir, scans);
  await writeReportPart(out, { markdown, figures }, spliceEvaluation);
  log(`report (evaluation): wrote ${out} and ${figures.length} figures`);
  return true;
}

/** The table / sweep / sensitivity part (runs/report; the run records are not committed: ~2 h on 2 cores). */
async function classicReport(flags: Record<string, string>, modelDir: string, loadModel: () => Promise<AttuneModel>, backend: string, log: (s: string) => void): Promise<boolean> {
  const shard = parseShard(flags.shard);
  const data = resolve(flags.data ?? DEFAULT_DATA);
  const runs = resolve(flags.runs ?? DEFAULT_RUNS);
  const out = resolve(flags.out ?? 'BENCHMARKS.md');
  const split = await splitOf(modelDir);
  const jobs = reportPlan(split, defaultPlanOptions(split));
  const mine = shard ? shardJobs(jobs, shard[0], shard[1]) : jobs;
  const cached = await Promise.all(mine.map((j) => cachedRecords(runs, j)));
  const todo = mine.filter((_, i) => !cached[i]);
  log(`report: ${jobs.length} runs in the plan${shard ? `, ${mine.length} in shard ${shard[0]}/${shard[1]}` : ''}, ${todo.length} still to run (relative cost ${todo.reduce((a, j) => a + jobCost(j), 0).toFixed(0)}; 1 ≈ one inference of a case)`);
  if (flags.list) {
    for (const j of mine) log(`  ${todo.includes(j) ? 'todo' : 'done'} ${j.section.padEnd(11)} ${j.key}`);
    return false;
  }
  if (flags['render-only'] && todo.length) {
    log(`report (classic): ${todo.length} runs are not recorded in ${runs} and --render-only runs nothing: that part is left as it is`);
    return false;
  }
  if (todo.length) {
    await runJobs(todo, { data, runs, model: await loadModel(), machine: machineDescription(backend), log });
  }
  const byKey = new Map<string, ReportRecord[]>();
  for (const j of jobs) {
    const r = await cachedRecords(runs, j);
    if (r) byKey.set(j.key, r);
  }
  const missing = jobs.filter((j) => !byKey.has(j.key));
  if (missing.length) {
    log(`report: ${missing.length} runs of other shards are not finished; the shard that finishes last writes ${out}`);
    return false;
  }
  const commandLine = ['npx attune report', flags.data && `--data ${flags.data}`, flags.runs && `--runs ${flags.runs}`].filter(Boolean).join(' ');
  const { markdown, figures } = reportMarkdown(jobs, byKey, { figureDir: FIGURE_DIR, commandLine });
  await writeReportPart(out, { markdown, figures }, spliceReport);
  log(`report: wrote ${out} and ${figures.map((f) => f.file).join(', ')}`);
  return true;
}
