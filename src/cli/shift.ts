import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { MODALITIES } from '../core/modality/index.ts';
import { DEFAULT_SHIFT_SEED, parseSeed, parseSeverity, parseShiftPreset, shiftCase } from '../core/shift/index.ts';
import { writeNifti } from '../core/volume/index.ts';
import { readCaseFolder } from '../node/readCaseFolder.ts';
import { describeIssues } from './describeIssues.ts';

export const SHIFT_FLAGS = ['preset', 'severity', 'seed', 'out'] as const;

/** `<case>-<preset>-s<severity>[-seed<N>]`: a new case id whose files still end in `_t1` …, so roles are detected. */
export function shiftedCaseId(caseId: string, preset: string, severity: number, seed: number): string {
  return `${caseId}-${preset}-s${severity}${seed === DEFAULT_SHIFT_SEED ? '' : `-seed${seed}`}`;
}

/**
 * `attune shift <case folder> --preset X --severity S [--seed N] --out <folder>`: writes
 * `<out>/<id>/<id>_{t1,t1ce,t2,flair}.nii.gz` (the source header, shifted voxels), the
 * label file copied byte for byte as `<id>_seg…`, and `shift.json` (the concrete
 * parameters). The result is an ordinary case folder for the app, `segment` and
 * `benchmark <out>`. Returns the case folder written.
 */
export async function shift(folder: string, flags: Record<string, string>, log: (s: string) => void): Promise<string> {
  // Check every argument before reading 100 MB of scans.
  if (flags.preset === undefined) throw new Error('--preset is required (e.g. --preset low-field)');
  const preset = parseShiftPreset(flags.preset);
  if (flags.severity === undefined) throw new Error('--severity 0–4 is required');
  const severity = parseSeverity(flags.severity);
  const seed = parseSeed(flags.seed ?? DEFAULT_SHIFT_SEED);
  if (!flags.out) throw new Error('--out <folder> is required (the shifted case is written to a sub-folder of it)');

  const source = resolve(folder);
  const loaded = await readCaseFolder(source).catch((e: NodeJS.ErrnoException) => {
    throw new Error(e.code === 'ENOENT' || e.code === 'ENOTDIR' ? `${folder} is not a case folder` : e.message);
  });
  const mri = loaded.check.mriCase;
  if (!mri) throw new Error(`${folder}: ${describeIssues(loaded.check.issues)}`);

  const id = shiftedCaseId(basename(source), preset, severity, seed);
  const dir = resolve(flags.out, id);
  if (dir === source) throw new Error(`--out would overwrite the source case ${folder}`);
  await mkdir(dir, { recursive: true });

  const shifted = shiftCase(mri, { preset, severity, seed });
  const description = `attune shift ${preset} s${severity} seed ${seed}`;
  for (const m of MODALITIES) {
    const volume = shifted.mriCase.modalities[m];
    await writeFile(join(dir, `${id}_${m}.nii.gz`), writeNifti(volume, volume.data, { description }));
  }
  const segFile = loaded.files.find((f) => f.role === 'seg');
  if (segFile) {
    const ext = /\.nii\.gz$/i.test(segFile.name) ? '.nii.gz' : '.nii';
    // Bytes, not copyFile: a read-only source (shared data) must not make the copy read-only.
    await writeFile(join(dir, `${id}_seg${ext}`), await readFile(join(source, segFile.name)));
  }
  const record = { source, sourceCase: basename(source), case: id, preset, severity, seed, label: segFile?.name ?? null, steps: shifted.steps };
  await writeFile(join(dir, 'shift.json'), JSON.stringify(record, null, 1) + '\n');
  log(`wrote ${dir} (${preset}, severity ${severity}, seed ${seed}${segFile ? ', label copied' : ', no label'})`);
  return dir;
}
