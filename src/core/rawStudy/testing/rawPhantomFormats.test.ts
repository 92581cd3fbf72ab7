import { describe, expect, it } from 'vitest';
import { loadCase } from '../../case/index.ts';
import { isAlreadyStripped } from '../../skullStrip/index.ts';
import { readNifti } from '../../volume/index.ts';
import { needsRawPipeline } from '../needsRawPipeline.ts';
import { strippedRawPhantomFiles } from './rawPhantomFormats.ts';
import { rawPhantomStudy } from './rawPhantomStudy.ts';

describe('the raw phantom, skull-stripped on its raw grids', () => {
  it('is stripped as the app decides it (no MindGrab), still a raw study (grids), and 0 exactly outside the brain', async () => {
    const phantom = rawPhantomStudy();
    const stripped = await strippedRawPhantomFiles(phantom);
    expect(stripped.map((f) => f.name)).toEqual(phantom.files.map((f) => f.name));
    for (const [n, file] of stripped.entries()) {
      const volume = await readNifti(file.bytes, file.name);
      const raw = await readNifti(phantom.files[n].bytes, file.name);
      expect(isAlreadyStripped(volume), file.name).toBe(true);
      expect(isAlreadyStripped(raw), file.name).toBe(false);
      expect(volume.dims).toEqual(raw.dims);
      expect(volume.affine).toEqual(raw.affine);
    }
    // The T1Gd's non-zero voxels are its true brain.
    const t1ce = await readNifti(stripped.find((f) => f.name === 'phantom_t1ce.nii.gz')!.bytes, 't1ce');
    let differ = 0;
    t1ce.data.forEach((v, n) => (differ += Number((v !== 0) !== (phantom.brainOnT1ce[n] === 1))));
    expect(differ).toBe(0);
    const { check, files } = await loadCase(stripped);
    expect(check.issues.map((i) => i.code)).not.toContain('not-skull-stripped');
    expect(check.issues.map((i) => i.code)).toContain('not-1mm-grid');
    expect(needsRawPipeline(check.issues, files)).toBe(true);
  });
});
