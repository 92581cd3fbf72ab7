import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { studyRoleIssues } from '../core/dicom/index.ts';
import { readDicomStudy } from '../node/readDicomStudy.ts';
import { formatSeriesTable } from './dicomTable.ts';

export const CONVERT_FLAGS = ['out'] as const;

/**
 * `attune convert <DICOM folder or files> --out <dir>`: each series as NIfTI plus dcm2niix's
 * JSON sidecar (and .bval/.bvec for diffusion) in <dir>, the assignment table on stdout,
 * the problems on stderr — the same conversion and assignment the app runs. It never
 * overwrites a file: if one of the outputs exists, nothing is written.
 */
export async function convert(inputs: string[], flags: Record<string, string>, log: (s: string) => void): Promise<void> {
  if (!flags.out) throw new Error('--out <folder> is required (where the NIfTI files and their sidecars go)');
  const study = await readDicomStudy(inputs);
  if (!study) throw new Error(`no DICOM file found in ${inputs.join(', ')}`);
  const issues = [...study.issues, ...studyRoleIssues(study)];
  if (study.series.length === 0) throw new Error(issues.filter((i) => i.severity === 'error').map((i) => i.message).join('; '));

  const outputs = study.series.flatMap((s) => {
    const base = s.niftiName.replace(/\.nii$/, '');
    return [
      { name: s.niftiName, bytes: s.nifti },
      { name: `${base}.json`, bytes: new TextEncoder().encode(s.sidecar) },
      ...s.extras.map((e) => ({ name: `${base}${e.name.slice(e.name.lastIndexOf('.'))}`, bytes: e.bytes })),
    ];
  });
  await mkdir(flags.out, { recursive: true });
  const existing = (await Promise.all(outputs.map(async (o) => (await exists(join(flags.out, o.name))) ? o.name : null))).filter(Boolean);
  if (existing.length > 0) throw new Error(`${flags.out} already holds ${existing.join(', ')}; choose an empty folder (nothing was written)`);
  for (const o of outputs) await writeFile(join(flags.out, o.name), o.bytes);

  console.log(formatSeriesTable(study));
  for (const i of issues) log(`${i.severity}: ${i.message}`);
  log(`wrote ${study.series.length} series (${outputs.length} files) to ${flags.out}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
