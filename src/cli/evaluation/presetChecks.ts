import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allDice } from '../../core/metrics/dice.ts';
import { segmentCase, type AttuneModel } from '../../core/model/index.ts';
import { preprocess } from '../../core/preprocess/index.ts';
import { SHIFT_PRESET_NAMES, shiftCase } from '../../core/shift/index.ts';
import { tumourEntropy } from '../../core/signals/index.ts';
import { readCaseFolder } from '../../node/readCaseFolder.ts';
import { describeIssues } from '../describeIssues.ts';
import { readJsonRecord, writeJsonRecord } from '../jsonRecord.ts';
import { meanClassDice } from '../../core/metrics/dice.ts';
import { EVALUATION_SOURCES, PRESET_CHECK_SOURCES } from './plan.ts';
import type { Dice } from './types.ts';

export const PRESET_RUNS = 'bench/runs/presets';
/** The severity whose cost decides whether a preset "hurts" (issue 15: ≥ 0.10 mean Dice on in-domain scans). */
export const CHECK_SEVERITY = 4;
export const HURTS = 0.1;

export interface PresetCheck {
  case: string;
  source: string;
  /** null = the unshifted source. */
  preset: string | null;
  severity: number;
  modelChecksum: string;
  dice: Dice;
  tumourEntropy: number;
  seconds: number;
  date: string;
  machine: string;
}

export function presetCheckCases(): { case: string; source: string; preset: string | null }[] {
  return PRESET_CHECK_SOURCES.flatMap((source) => [
    { case: source, source, preset: null },
    ...SHIFT_PRESET_NAMES.map((preset) => ({ case: `${source}-${preset}-s${CHECK_SEVERITY}`, source, preset })),
  ]);
}

const fileOf = (dir: string, c: string) => join(dir, `${c}.json`);

export async function cachedPresetCheck(dir: string, c: string): Promise<PresetCheck | null> {
  return readJsonRecord<PresetCheck>(fileOf(dir, c));
}

/** What severity 4 of every preset costs the source model on the in-domain validation scans (baseline only). */
export async function runPresetChecks(o: { data: string; dir: string; model: AttuneModel; machine: string; log: (s: string) => void }): Promise<void> {
  await mkdir(o.dir, { recursive: true });
  for (const c of presetCheckCases()) {
    if (await cachedPresetCheck(o.dir, c.case)) continue;
    const t0 = performance.now();
    const { check } = await readCaseFolder(join(o.data, EVALUATION_SOURCES[c.source].folder));
    if (!check.mriCase?.label) throw new Error(`${c.source}: ${check.mriCase ? 'no label file' : describeIssues(check.issues)}`);
    const mri = c.preset === null ? check.mriCase : shiftCase(check.mriCase, { preset: c.preset, severity: CHECK_SEVERITY }).mriCase;
    const seg = await segmentCase(o.model.weights, o.model.arch, preprocess(mri.modalities), { batchSize: 8, measureUncertainty: true });
    const record: PresetCheck = {
      ...c,
      severity: c.preset === null ? 0 : CHECK_SEVERITY,
      modelChecksum: o.model.checksum,
      dice: allDice(seg.labels, check.mriCase.label.data as ArrayLike<number>),
      tumourEntropy: tumourEntropy(seg.uncertainty!),
      seconds: (performance.now() - t0) / 1000,
      date: new Date().toISOString().slice(0, 10),
      machine: o.machine,
    };
    await writeJsonRecord(fileOf(o.dir, c.case), record, { significantDigits: 6 });
    o.log(`preset check ${c.case}: mean Dice ${meanClassDice(record).toFixed(3)}`);
  }
}
