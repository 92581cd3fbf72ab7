import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Sub-folders of `root` that hold NIfTI files (one case each), sorted by name. */
export async function caseFolders(root: string): Promise<string[]> {
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`${root} is not a folder`);
  const out: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    const dir = join(root, name);
    if (!(await stat(dir)).isDirectory()) continue;
    if ((await readdir(dir)).some((f) => /\.nii(\.gz)?$/i.test(f))) out.push(dir);
  }
  if (out.length === 0) throw new Error(`${root} has no case sub-folders with .nii/.nii.gz files (expected <folder>/<case>/<case>_t1.nii.gz …)`);
  return out;
}
