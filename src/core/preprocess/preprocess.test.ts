import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../inputIssue.ts';
import { MODALITIES, type Modality } from '../modality/index.ts';
import { makeSyntheticCase } from '../synthetic/index.ts';
import { niftiOf, rawNifti, bytesOf } from '../testing/niftiFixtures.ts';
import { readNifti, type NiftiVolume } from '../volume/index.ts';
import { padRange } from './cropBox.ts';
import { preprocess, sliceInput } from './preprocess.ts';
import { uncropLabels } from './uncrop.ts';

const X = 20, Y = 18, Z = 5;
const at = (i: number, j: number, k: number) => i + X * (j + Y * k);

/**
 * A case whose brain is the box i∈[2,18], j∈[4,9], k∈[1,3] in t1/t1ce/t2, plus one voxel
 * (19, 10, 4) that only FLAIR sees: the mask is the union, so it widens the bounding box
 * to i∈[2,19], j∈[4,10], k∈[1,4] and the other modalities' zeros there are normalised.
 */
function handCase(): Record<Modality, Float32Array> {
  const out = {} as Record<Modality, Float32Array>;
  MODALITIES.forEach((m, c) => {
    const data = new Float32Array(X * Y * Z);
    for (let k = 1; k <= 3; k++)
      for (let j = 4; j <= 9; j++)
        for (let i = 2; i <= 18; i++) data[at(i, j, k)] = 100 * (c + 1) + ((i * 7 + j * 3 + k * 11 + c) % 17);
    if (m === 'flair') data[at(19, 10, 4)] = 999;
    out[m] = data;
  });
  return out;
}

async function volumesOf(data: Record<Modality, Float32Array>): Promise<Record<Modality, NiftiVolume>> {
  const vols = {} as Record<Modality, NiftiVolume>;
  for (const m of MODALITIES) vols[m] = await readNifti(niftiOf(`${m}.nii.gz`, data[m], { dims: [X, Y, Z] }), `${m}.nii.gz`);
  return vols;
}

/** Plain-array statistics over the mask, written independently of modalityStats. */
function naiveStats(values: ArrayLike<number>, mask: boolean[]) {
  const inside = Array.from(values).filter((_, n) => mask[n]);
  const mean = inside.reduce((a, b) => a + b, 0) / inside.length;
  const variance = inside.reduce((a, b) => a + (b - mean) ** 2, 0) / inside.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('padRange (§2.3)', () => {
  it.each([
    [[0, 15], [0, 16]], // n = 16: already a multiple
    [[2, 19], [-5, 32]], // n = 18 → 32, before = floor(14/2) = 7
    [[4, 10], [0, 16]], // n = 7 → 16, before = floor(9/2) = 4
    [[10, 10], [3, 16]], // n = 1 → 16, before = 7
    [[5, 21], [-2, 32]], // n = 17 → 32, before = floor(15/2) = 7
  ])('%j → start, size %j', (range, expected) => {
    expect(padRange(range as [number, number])).toEqual(expected);
  });
});

describe('preprocess (models/README.md §2)', () => {
  let data: Record<Modality, Float32Array>;
  let vols: Record<Modality, NiftiVolume>;
  beforeAll(async () => {
    data = handCase();
    vols = await volumesOf(data);
  });

  it('crops to the union mask’s bounding box, padded in-plane to 16s, k unpadded', () => {
    const pre = preprocess(vols);
    expect(pre.box.brain).toEqual({ i: [2, 19], j: [4, 10], k: [1, 4] });
    expect(pre.box.start).toEqual([-5, 0, 1]);
    expect(pre.box.size).toEqual([32, 16, 4]);
    expect(pre.shape).toEqual([4, 16, 32, 4]);
    expect(pre.input.length).toBe(4 * 16 * 32 * 4);
    expect(pre.maskVoxels).toBe(17 * 6 * 3 + 1);
  });

  it('z-scores each modality over the mask with population std, background 0', () => {
    const pre = preprocess(vols);
    const mask = Array.from({ length: X * Y * Z }, (_, n) => MODALITIES.some((m) => data[m][n] !== 0));
    const [w, h, d] = pre.box.size;
    const [si, sj, sk] = pre.box.start;
    MODALITIES.forEach((m, c) => {
      const ref = naiveStats(data[m], mask);
      expect(pre.stats[m].mean).toBeCloseTo(ref.mean, 10);
      expect(pre.stats[m].std).toBeCloseTo(ref.std, 10);
      for (let s = 0; s < d; s++)
        for (let row = 0; row < h; row++)
          for (let col = 0; col < w; col++) {
            const [i, j, k] = [si + col, sj + row, sk + s];
            const inVolume = i >= 0 && i < X && j >= 0 && j < Y;
            const expected = inVolume && mask[at(i, j, k)] ? (data[m][at(i, j, k)] - ref.mean) / ref.std : 0;
            const got = pre.input[((s * h + row) * w + col) * 4 + c];
            expect(got).toBeCloseTo(expected, 5);
          }
    });
  });

  it('normalises a zero inside the mask (another modality is non-zero there) to −μ/σ', () => {
    const pre = preprocess(vols);
    // voxel (19, 10, 4): only FLAIR is non-zero. Slice s = 4 − 1, row = 10 − 0, col = 19 + 5.
    const slice = sliceInput(pre, 3);
    const base = (10 * 32 + 24) * 4;
    expect(slice[base + 0]).toBeCloseTo(-pre.stats.t1.mean / pre.stats.t1.std, 5);
    expect(slice[base + 3]).toBeCloseTo((999 - pre.stats.flair.mean) / pre.stats.flair.std, 5);
    expect(slice[base + 3]).toBeGreaterThan(0);
  });

  it('orders channels [t1, t1ce, t2, flair] and lays slices out as rows = j, columns = i', () => {
    const pre = preprocess(vols);
    // voxel (2, 4, 1) is the box corner: slice 0, row 4, column 7.
    const base = ((0 * 16 + 4) * 32 + 7) * 4;
    MODALITIES.forEach((m, c) => {
      const expected = (data[m][at(2, 4, 1)] - pre.stats[m].mean) / pre.stats[m].std;
      expect(pre.input[base + c]).toBeCloseTo(expected, 5);
    });
  });

  it('leaves its input volumes untouched', () => {
    const before = MODALITIES.map((m) => Float32Array.from(vols[m].data as Float32Array));
    preprocess(vols);
    MODALITIES.forEach((m, c) => expect(vols[m].data).toEqual(before[c]));
  });

  it('uses scaled (physical) values, as nibabel does', async () => {
    const withSlope = await readNifti(
      rawNifti({ dim: [3, X, Y, Z], datatype: 4, bitsPerVoxel: 16, voxelBytes: bytesOf(Int16Array.from(data.t1)), sclSlope: 2, sclInter: 0 }),
      't1.nii',
    );
    const pre = preprocess({ ...vols, t1: withSlope });
    const mask = Array.from({ length: X * Y * Z }, (_, n) => MODALITIES.some((m) => data[m][n] !== 0));
    const ref = naiveStats(Array.from(data.t1, (v) => 2 * v), mask);
    expect(pre.stats.t1.mean).toBeCloseTo(ref.mean, 10);
  });

  it('refuses a modality that is constant inside the brain (σ = 0), naming it', async () => {
    const flat = Float32Array.from(data.t2, (v) => (v !== 0 ? 500 : 0));
    const flair = Float32Array.from(data.flair);
    flair[at(19, 10, 4)] = 0; // so the mask equals where t2 is 500
    const v = await volumesOf({ ...data, t2: flat, flair });
    expect(() => preprocess(v)).toThrowError(InputError);
    expect(() => preprocess(v)).toThrow(/t2\.nii\.gz \(T2\) has the same value everywhere inside the brain/);
  });

  it('refuses an empty brain mask', async () => {
    const zero = new Float32Array(X * Y * Z);
    const v = await volumesOf({ t1: zero, t1ce: zero, t2: zero, flair: zero });
    expect(() => preprocess(v)).toThrow(/no brain to segment/);
  });
});

describe('uncropLabels (§2.5)', () => {
  it('puts a cropped label map back on the original grid; outside the brain box is 0', async () => {
    const vols = await volumesOf(handCase());
    const pre = preprocess(vols);
    const [w, h, d] = pre.box.size;
    const [si, sj, sk] = pre.box.start;
    // A label map on the cropped box: every position gets a value, padding included.
    const cropped = new Uint8Array(d * h * w).map((_, n) => [1, 2, 4][n % 3]);
    const full = uncropLabels(cropped, pre.box);
    expect(full.length).toBe(X * Y * Z);
    for (let k = 0; k < Z; k++)
      for (let j = 0; j < Y; j++)
        for (let i = 0; i < X; i++) {
          const inBrainBox = i >= 2 && i <= 19 && j >= 4 && j <= 10 && k >= 1 && k <= 4;
          const expected = inBrainBox ? cropped[((k - sk) * h + (j - sj)) * w + (i - si)] : 0;
          expect(full[at(i, j, k)]).toBe(expected);
        }
  });

  it('inverts the crop of a real-sized synthetic label map exactly', async () => {
    const synthetic = makeSyntheticCase({ seed: 2 });
    const vols = {} as Record<Modality, NiftiVolume>;
    for (const m of MODALITIES) vols[m] = await readNifti(synthetic.files[m].bytes, synthetic.files[m].name);
    const pre = preprocess(vols);
    const [x, y] = synthetic.dims;
    const [w, h, d] = pre.box.size;
    const [si, sj, sk] = pre.box.start;
    const cropped = new Uint8Array(d * h * w);
    for (let s = 0; s < d; s++)
      for (let row = 0; row < h; row++)
        for (let col = 0; col < w; col++) {
          const [i, j] = [si + col, sj + row];
          if (i >= 0 && i < x && j >= 0 && j < y) cropped[(s * h + row) * w + col] = synthetic.labels[i + x * (j + y * (sk + s))];
        }
    expect(Array.from(uncropLabels(cropped, pre.box))).toEqual(Array.from(synthetic.labels));
  });

  it('refuses a map of the wrong size', async () => {
    const pre = preprocess(await volumesOf(handCase()));
    expect(() => uncropLabels(new Uint8Array(5), pre.box)).toThrow(/got 5 values/);
  });
});
