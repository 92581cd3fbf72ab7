import { loadCase } from '../core/case/index.ts';
import type { CaseFile, MriCase } from '../core/case/types.ts';
import { ROLE_LABELS } from '../core/modality/index.ts';
import { formatBytes } from '../core/formatBytes.ts';
import { atlasCaseFiles, estimateRawStudyMemory, prepareRawStudy, studyFromFiles, studyGrids, type PreparedStudy, type RawStudyDependencies } from '../core/rawStudy/index.ts';
import { throwIfPoorRegistration } from '../core/registration/index.ts';
import { isAlreadyStripped } from '../core/skullStrip/index.ts';
import type { NiftiVolume } from '../core/volume/index.ts';
import { nodeRawStudyBudget, nodeRawStudyDependencies } from '../node/rawStudyNode.ts';
import { describeIssues } from './describeIssues.ts';

/** A raw study made ready for the model, and what the CLI needs to write masks back. */
export interface RawRun {
  prepared: PreparedStudy;
  /** The study on the atlas grid, as the model reads it. */
  mri: MriCase;
  /** The T1Gd as dropped: the native grid and header the mask goes back onto. */
  t1ce: NiftiVolume;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * `segment` on a raw study (own grids, with skull): skull strip, register, resample onto the
 * SRI24 grid (src/core/rawStudy, the same code the app's worker runs), logging each step and
 * its time; a poor registration or an implausible brain mask stops it with the reason.
 */
export async function prepareRawForCli(files: CaseFile[], log: (s: string) => void, dependencies: () => Promise<RawStudyDependencies> = nodeRawStudyDependencies): Promise<RawRun> {
  const study = studyFromFiles(files);
  const t1ce = files.find((f) => f.role === 't1ce' && f.volume)!.volume!;
  const used = files.filter((f) => f.role && f.role !== 'seg' && f.volume);
  log(`raw study: ${used.map((f) => `${ROLE_LABELS[f.role as keyof typeof ROLE_LABELS]} ${f.volume!.dims.join('×')} (${f.volume!.spacingMm.map((s) => s.toFixed(2)).join('×')} mm)`).join(', ')} → skull strip, register to SRI24, resample to 240×240×155 1 mm`);
  const alreadyStripped = isAlreadyStripped(t1ce);
  if (alreadyStripped) log('raw study: the T1Gd is skull-stripped already (0 on its outer faces, brain-sized): not stripped again');
  let lastReport = 0;
  const deps = await dependencies();
  const memory = estimateRawStudyMemory(studyGrids(study), alreadyStripped ? null : deps.stripper);
  const budget = nodeRawStudyBudget();
  log(`raw study: memory plan ${formatBytes(memory.bytes)} of ${formatBytes(budget)} (${memory.parts.map((p) => `${p.what} ${formatBytes(p.bytes)}`).join(', ')})`);
  const prepared = await prepareRawStudy(study, deps, {
    alreadyStripped,
    memoryBudgetBytes: budget,
    onStep: (s) => log(`raw study: ${s}…`),
    onStripProgress: (done, total) => {
      if (done === total || performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        log(`raw study: skull strip ${done}/${total} chunks`);
      }
    },
  });
  for (const t of prepared.timings) log(`raw study: ${t.step} took ${seconds(t.ms)}`);
  log(`raw study: brain mask ${prepared.brainMl.toFixed(0)} mL on the T1Gd grid (${prepared.stripped === 'model' ? 'MindGrab' : 'the input\'s own'})`);
  for (const [m, r] of Object.entries(prepared.registration.modalities)) {
    log(`raw study: ${ROLE_LABELS[m as keyof typeof ROLE_LABELS]} ${r.pair === 'toAtlas' ? 'onto the atlas' : 'onto the T1Gd'}: brain Dice ${r.quality.brainDice.toFixed(3)}, NMI ${r.quality.nmi.toFixed(3)}`);
  }
  throwIfPoorRegistration(prepared.registration, used.map((f) => f.name));
  const stem = (t1ce.name.split('/').pop() ?? 'raw').replace(/\.nii(\.gz)?$/i, '').replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 40);
  const { check } = await loadCase(atlasCaseFiles(prepared, stem));
  if (!check.mriCase) throw new Error(`the prepared study did not read back as a case: ${describeIssues(check.issues)}`);
  return { prepared, mri: check.mriCase, t1ce };
}
