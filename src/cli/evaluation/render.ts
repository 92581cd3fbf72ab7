import { readFile } from 'node:fs/promises';
import type { Calibration } from '../../core/signals/index.ts';
import { spliceReport } from '../report/sections.ts';
import { cachedEvaluation } from './runEvaluation.ts';
import { evaluationScans } from './plan.ts';
import { evaluationMarkdown, type EvaluationOutput } from './sections.ts';
import type { EvaluationRecord, EvaluationScan } from './types.ts';
import { cachedPresetCheck, presetCheckCases, PRESET_RUNS, type PresetCheck } from './presetChecks.ts';

export const EVALUATION_RUNS = 'bench/runs/evaluation';
export const EVALUATION_BEGIN = '<!-- attune report evaluation: begin (generated from bench/runs/evaluation; do not edit by hand) -->';
export const EVALUATION_END = '<!-- attune report evaluation: end -->';
export const EVALUATION_COMMAND = 'npx attune report --part evaluation';

/** The records of the plan's scans, in plan order; null names the first missing one. */
export async function loadEvaluationRecords(dir: string, scans: EvaluationScan[] = evaluationScans()): Promise<{ records: EvaluationRecord[]; missing: string[] }> {
  const records: EvaluationRecord[] = [];
  const missing: string[] = [];
  for (const scan of scans) {
    const r = await cachedEvaluation(dir, scan);
    if (r) records.push(r);
    else missing.push(scan.case);
  }
  return { records, missing };
}

export async function renderEvaluation(dir: string, calibrationPath: string, figureDir: string, presetDir: string | null = PRESET_RUNS, scans?: EvaluationScan[]): Promise<EvaluationOutput> {
  const { records, missing } = await loadEvaluationRecords(dir, scans);
  if (missing.length) throw new Error(`${dir} lacks ${missing.length} evaluation records (${missing.slice(0, 3).join(', ')}…): run \`${EVALUATION_COMMAND}\``);
  const calibration = JSON.parse(await readFile(calibrationPath, 'utf8')) as Calibration;
  const stale = records.filter((r) => r.modelChecksum !== calibration.modelChecksum);
  if (stale.length) throw new Error(`${stale.length} evaluation records were measured with another model (checksum ${stale[0].modelChecksum}, calibration ${calibration.modelChecksum}): delete ${dir} and run \`${EVALUATION_COMMAND}\``);
  const presetChecks: PresetCheck[] = [];
  for (const c of presetDir ? presetCheckCases() : []) {
    const r = await cachedPresetCheck(presetDir!, c.case);
    if (!r) throw new Error(`${presetDir} lacks ${c.case}: run \`${EVALUATION_COMMAND}\``);
    presetChecks.push(r);
  }
  return evaluationMarkdown(records, calibration, { figureDir, commandLine: EVALUATION_COMMAND, presetChecks });
}

/** Replaces the evaluation block of BENCHMARKS.md (appends it the first time). */
export function spliceEvaluation(doc: string, markdown: string): string {
  return spliceReport(doc, markdown, EVALUATION_BEGIN, EVALUATION_END);
}

/** The block currently in BENCHMARKS.md (without markers), or null. */
export function evaluationBlockOf(doc: string): string | null {
  const a = doc.indexOf(EVALUATION_BEGIN);
  const b = doc.indexOf(EVALUATION_END);
  return a >= 0 && b > a ? doc.slice(a + EVALUATION_BEGIN.length + 1, b).trimEnd() : null;
}
