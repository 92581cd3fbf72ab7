import type { InputFile } from '../core/index.ts';

/**
 * The bundled real demo case: BraTS2021_00324, from institution 1 of the FeTS 2022
 * partitions — not the institution the model was trained on, so it shows adaptation at
 * work. Served by the app itself from public/demo/ (and precached for offline use).
 */
export const DEMO_CASE = {
  id: 'BraTS2021_00324',
  description: 'BraTS 2021 case 00324 (institution 1; the model was trained on institution 18)',
  files: ['t1', 't1ce', 't2', 'flair', 'seg'].map((s) => `BraTS2021_00324_${s}.nii.gz`),
  /**
   * Each file's size as shipped (`.nii.gz`). Servers such as Vite's send `.gz` files with
   * `Content-Encoding: gzip`, so fetch hands over the inflated NIfTI and its length is not
   * the file's size; the table shows these instead (checked against public/demo by a test).
   */
  sizes: {
    BraTS2021_00324_t1: 2224941,
    BraTS2021_00324_t1ce: 2318322,
    BraTS2021_00324_t2: 2414614,
    BraTS2021_00324_flair: 2159810,
    BraTS2021_00324_seg: 24924,
  } as Record<string, number>,
};

/**
 * The demo's "other scanner" variant: the same case through core's shift simulator
 * (src/core/shift) — another vendor's contrast, γ and scaling per modality — so the effect
 * of adaptation can be seen on a scan that is further from the training data.
 */
export const OTHER_SCANNER = { preset: 'low-field', severity: 3, seed: 1, description: 'simulated: a low-field scanner’s flatter contrast, lower resolution and lower SNR (severity 3 of 4)' };

export const BRATS_CITATION =
  'RSNA-ASNR-MICCAI BraTS 2021 training data. Cite: U. Baid et al., "The RSNA-ASNR-MICCAI BraTS 2021 Benchmark on Brain Tumor Segmentation and Radiogenomic Classification", arXiv:2107.02314; B. H. Menze et al., IEEE TMI 34(10), 2015; S. Bakas et al., Scientific Data 4:170117, 2017. Institution partitions: FeTS 2022, S. Pati et al., arXiv:2105.05874.';

export async function fetchDemoCase(): Promise<(InputFile & { bytes: Uint8Array })[]> {
  return Promise.all(
    DEMO_CASE.files.map(async (name) => {
      const url = `${import.meta.env.BASE_URL}demo/${name}`;
      const r = await fetch(url);
      if (!r.ok) throw new Error(`the demo file ${name} could not be loaded (HTTP ${r.status})`);
      return { name, bytes: new Uint8Array(await r.arrayBuffer()), sizeBytes: DEMO_CASE.sizes[name.replace(/\.nii\.gz$/, '')] };
    }),
  );
}
