import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AxisCode } from '../core/orientation/index.ts';
import { reorientedCopy } from '../core/testing/reorientedCopy.ts';
import { makeTinyModelFiles } from '../core/model/testing/tinyModel.ts';
import { makeSyntheticCase } from '../core/synthetic/index.ts';
import { readNifti, writeNifti, type NiftiVolume } from '../core/volume/index.ts';
import { DEMO_CASE, DEMO_CASE_DIR } from '../node/demoCase.ts';
import { runCli } from './testing/runCli.ts';

/**
 * Issue 16 on real data through the CLI with the shipped model: the same scan stored LPS
 * (as BraTS ships it), RAS, or with its axes permuted (slice axis first) gives the same
 * mask voxel for voxel once mapped back, the same Dice and the same shift score; and a
 * BraTS 2023 case (ET = 3) gives the same Dice as its BraTS 2021 copy, its mask exported
 * in the 2023 convention unless --labels says otherwise.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const data = resolve(repoRoot, '../shared/data');
/** The bundled demo case (public/demo): BraTS2021_00324, on every machine. */
const CASE = DEMO_CASE_DIR;
/** A BraTS 2021 case and the same scan as the BraTS 2023 release ships it, when ../shared holds them. */
const REAL_2021 = resolve(data, 'brats2021/BraTS2021_00012');
const REAL_2023 = resolve(data, 'brats2023/BraTS-GLI-00012-000');

const root = mkdtempSync(join(tmpdir(), 'attune-orient-'));
const read = async (path: string) => readNifti(readFileSync(path), path);

/** The case folder re-saved with other voxel axes (every file, the label map too). */
async function resaved(axes: [AxisCode, AxisCode, AxisCode]): Promise<string> {
  const dir = join(root, axes.join(''));
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(CASE).filter((n) => /\.nii(\.gz)?$/.test(n))) writeFileSync(join(dir, f), reorientedCopy(await read(join(CASE, f)), axes, f));
  return dir;
}

async function segment(input: string, out: string, extra: string[] = []) {
  const r = await runCli(['segment', input, '--mode', 'none', '--out', out, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return {
    stderr: r.stderr,
    shift: /shift score (\S+),/.exec(r.stderr)![1],
    dice: /Dice (.*)/.exec(r.stderr)![1],
    mask: await read(out),
  };
}

/**
 * A BraTS 2021 case folder and its BraTS 2023 counterpart: the real release pair from
 * ../shared when present, else the demo case re-saved the way 2023 releases name and label
 * it (t1n/t1c/t2w/t2f, ET = 3).
 */
async function casePair2021And2023(): Promise<{ c2021: string; c2023: string }> {
  if (existsSync(REAL_2021) && existsSync(REAL_2023)) return { c2021: REAL_2021, c2023: REAL_2023 };
  const id = 'BraTS-GLI-00324-000';
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  for (const [m, n] of Object.entries({ t1: 't1n', t1ce: 't1c', t2: 't2w', flair: 't2f' })) copyFileSync(join(CASE, `${DEMO_CASE}_${m}.nii.gz`), join(dir, `${id}-${n}.nii.gz`));
  const seg = await read(join(CASE, `${DEMO_CASE}_seg.nii.gz`));
  writeFileSync(join(dir, `${id}-seg.nii.gz`), writeNifti(seg, Uint8Array.from(seg.data, (v) => (v === 4 ? 3 : v))));
  return { c2021: CASE, c2023: dir };
}

/** Index of the first differing voxel, or −1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let n = 0; n < a.length; n++) if (a[n] !== b[n]) return n;
  return -1;
}

/** A mask written on a re-saved grid, brought back to BraTS's L, P, S grid through world coordinates. */
async function backToLps(mask: NiftiVolume): Promise<NiftiVolume> {
  return readNifti(reorientedCopy(mask, ['L', 'P', 'S'], 'lps.nii'), 'lps.nii');
}

describe('the CLI on a real case stored in other orientations, and in the BraTS 2023 convention', () => {
  it('LPS, RAS and S-R-A copies of BraTS2021_00324: identical masks after mapping, same Dice, same shift score', async () => {
    const lps = await segment(CASE, join(root, 'lps.nii.gz'));
    expect(lps.stderr).not.toMatch(/scan stored/);
    for (const axes of [['R', 'A', 'S'], ['S', 'R', 'A']] as [AxisCode, AxisCode, AxisCode][]) {
      const other = await segment(await resaved(axes), join(root, `${axes.join('')}.nii.gz`));
      expect(other.stderr).toContain(`scan stored ${axes.join('')}: segmented in the model's LPS orientation`);
      // The mask is written on the input's own grid (its dims and affine)…
      const input = await read(join(root, axes.join(''), 'BraTS2021_00324_t1.nii.gz'));
      expect(other.mask.dims).toEqual(input.dims);
      expect(other.mask.affine).toEqual(input.affine);
      // …and is the LPS run's mask voxel for voxel once mapped back.
      const mapped = await backToLps(other.mask);
      expect(mapped.dims).toEqual(lps.mask.dims);
      expect(firstDifference(mapped.data, lps.mask.data)).toBe(-1);
      expect(other.dice).toBe(lps.dice);
      expect(other.shift).toBe(lps.shift);
    }
    const tumour = Array.from(lps.mask.data).filter((v) => v > 0).length;
    expect(tumour).toBeGreaterThan(10_000); // a real mask, not an empty one compared with itself
  }, 1_200_000); // a hang guard: each full-case segmentation took ~3.5 min on the busy 2-core machine

  it('a BraTS 2023 case (t1n/t1c/t2w/t2f, ET = 3) gives the Dice of its 2021 copy; its mask is exported as 2023 unless --labels 2021', async () => {
    const pair = await casePair2021And2023();
    const c2021 = await segment(pair.c2021, join(root, 'm2021.nii.gz'));
    const c2023 = await segment(pair.c2023, join(root, 'm2023.nii.gz'));
    expect(c2023.stderr).toContain('label map: BraTS 2023+ (ET = 3)');
    expect(c2021.stderr).toContain('label map: BraTS 2021 (ET = 4)');
    expect(c2023.dice).toBe(c2021.dice);
    expect(c2023.dice).toMatch(/WT 0\.\d{4}/);
    const et2021 = Array.from(c2021.mask.data).filter((v) => v === 4).length;
    expect(et2021).toBeGreaterThan(0);
    expect(Array.from(c2023.mask.data).filter((v) => v === 3).length).toBe(et2021);
    expect(Array.from(c2023.mask.data).filter((v) => v === 4).length).toBe(0);
    expect(firstDifference(Uint8Array.from(c2023.mask.data, (v) => (v === 3 ? 4 : v)), c2021.mask.data)).toBe(-1);
  }, 1_200_000); // a hang guard: each full-case segmentation took ~3.5 min on the busy 2-core machine
});

describe('attune segment --labels (synthetic case, tiny model)', () => {
  it('writes the mask in the convention asked for, whatever the label map used, and refuses an unknown one', async () => {
    const modelDir = join(root, 'tiny');
    mkdirSync(modelDir, { recursive: true });
    const { manifest, weights } = makeTinyModelFiles();
    writeFileSync(join(modelDir, 'model.json'), JSON.stringify(manifest));
    writeFileSync(join(modelDir, 'weights.bin'), new Uint8Array(weights));
    const c = makeSyntheticCase({ seed: 5, caseId: 'Syn5' });
    const dir = join(root, 'syn2023');
    mkdirSync(dir, { recursive: true });
    for (const [role, f] of Object.entries(c.files)) {
      if (role !== 'seg') writeFileSync(join(dir, f.name), f.bytes as Uint8Array);
    }
    // The phantom's label map in the 2023 convention, named the way 2023 releases name it.
    const seg = await readNifti(c.files.seg.bytes as Uint8Array, 'seg');
    writeFileSync(join(dir, 'Syn5-seg.nii.gz'), writeNifti(seg, Uint8Array.from(seg.data, (v) => (v === 4 ? 3 : v))));
    const out = async (labels: string[]) => {
      const path = join(root, `syn-${labels.join('') || 'default'}.nii.gz`);
      const r = await runCli(['segment', dir, '--mode', 'none', '--model', modelDir, '--out', path, ...labels]);
      expect(r.code, r.stderr).toBe(0);
      return { stderr: r.stderr, values: new Set(Array.from((await read(path)).data)) };
    };
    const byDefault = await out([]);
    expect(byDefault.stderr).toContain('label map: BraTS 2023+ (ET = 3)');
    expect(byDefault.stderr).toContain('(labels BraTS 2023+ (ET = 3))');
    expect(byDefault.values.has(4)).toBe(false);
    const as2021 = await out(['--labels', '2021']);
    expect(as2021.stderr).toContain('(labels BraTS 2021 (ET = 4))');
    expect(as2021.values.has(3)).toBe(false);
    const bad = await runCli(['segment', dir, '--model', modelDir, '--out', join(root, 'x.nii.gz'), '--labels', '2022']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--labels must be 2021 (ET = 4) or 2023 (ET = 3), got "2022"');
  }, 120_000);
});
