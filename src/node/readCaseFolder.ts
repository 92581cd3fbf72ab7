import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCase } from '../core/case/index.ts';
import type { InputFile } from '../core/case/index.ts';

/** Every .nii / .nii.gz file of a folder, through the app's own `loadCase` path. */
export async function readCaseFolder(dir: string) {
  const names = (await readdir(dir)).filter((n) => /\.nii(\.gz)?$/i.test(n)).sort();
  const inputs: InputFile[] = await Promise.all(
    names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(join(dir, name))) })),
  );
  return loadCase(inputs);
}
