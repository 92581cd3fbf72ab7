import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../synthetic/random.ts';
import { InputError } from '../inputIssue.ts';
import {
  applyToPoint, blockAverage, bratsAtlasGrid, compose, displacement, eulerMapLps, foregroundMask, identity4, invert4, labelMl,
  lpsMapToRas, maskDice, maskToNative, multiply4, normalisedMutualInformation, poorRegistrationMessage, rasMapToLps,
  rawToAtlasMap, registerStudy, resampleLinear, resampleNearest, rotationAngleDeg, rotationX, rotationY, rotationZ,
  scannerGrid, simulateScan, throwIfPoorRegistration, toItkImage, translation, voxelMl, worldMapFromElastix,
  type Grid, type Mat4, type ParameterMap, type Registrar, type ScalarVolume, type StudyVolumes, type Vec3,
} from './index.ts';
import { phantomSeries, sampleOnGrid } from './testing/headPhantom.ts';

const close = (a: Mat4, b: Mat4, tol = 1e-9) => a.forEach((row, r) => row.forEach((v, c) => expect(Math.abs(v - b[r][c])).toBeLessThan(tol)));
const deg = (d: number) => (d * Math.PI) / 180;

/** A random rigid map: rotation about all three axes, then a translation. */
function randomRigid(uniform: () => number, maxDeg = 20, maxMm = 30): Mat4 {
  const a = () => deg((2 * uniform() - 1) * maxDeg);
  return compose(rotationX(a()), rotationY(a()), rotationZ(a()), translation([0, 1, 2].map(() => (2 * uniform() - 1) * maxMm)));
}

/** An oblique grid with permuted axes, like a tilted scanner series. */
function obliqueGrid(dims: [number, number, number], spacing: Vec3, tiltDeg: number, centre: Vec3): Grid {
  const axes = [[0, 0, spacing[2], 0], [spacing[0], 0, 0, 0], [0, spacing[1], 0, 0], [0, 0, 0, 1]]; // i → y, j → z, k → x
  const centred = compose(translation(dims.map((d) => -(d - 1) / 2)), axes, rotationX(deg(tiltDeg)), rotationZ(deg(tiltDeg / 2)), translation(centre));
  return { dims, affine: centred };
}

describe('matrices', () => {
  it('invert4 undoes a random affine map and compose applies maps in the order listed', () => {
    const uniform = mulberry32(3);
    for (let t = 0; t < 20; t++) {
      const m = multiply4(randomRigid(uniform), [[1.3, 0.2, 0, 4], [0, 0.7, 0.1, -2], [0.05, 0, 2.2, 9], [0, 0, 0, 1]]);
      close(multiply4(invert4(m), m), identity4(), 1e-9);
    }
    // Translate then rotate 90° about z: (1, 0, 0) → (2, 0, 0) → (0, 2, 0).
    const p = applyToPoint(compose(translation([1, 0, 0]), rotationZ(Math.PI / 2)), [1, 0, 0]);
    expect(p.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 2, 0]);
    expect(() => invert4([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])).toThrow(/singular/);
  });
});

describe('ITK space (LPS) and elastix transforms', () => {
  it('gives itk-wasm the BraTS grid in LPS: origin, spacing and a row-major direction', () => {
    const grid = bratsAtlasGrid();
    const img = toItkImage({ grid, values: new Float32Array(240 * 240 * 155) }, 'atlas');
    // RAS (0, 239, 0) is LPS (0, −239, 0); voxel axes L, P, S are +x, +y, +z in LPS.
    expect(img.origin).toEqual([-0, -239, 0].map((v) => v + 0));
    expect(img.spacing).toEqual([1, 1, 1]);
    expect([...img.direction]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // A permuted grid: row r, column c of the direction = LPS component r of voxel axis c.
    const permuted: Grid = { dims: [2, 3, 4], affine: [[0, 0, 2, 0], [3, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]] };
    const d = toItkImage({ grid: permuted, values: new Float32Array(24) }, 'p').direction;
    // Voxel axis 0 points to RAS +y (3 mm) = LPS −y: column 0 is (0, −1, 0).
    expect([d[0], d[3], d[6]]).toEqual([0, -1, 0]);
    expect([d[2], d[5], d[8]]).toEqual([-1, 0, 0]);
  });

  it('reads an EulerTransform as R(x − c) + c + t with ITK\'s angle order, and converts LPS to RAS', () => {
    const map: ParameterMap = {
      Transform: ['EulerTransform'],
      TransformParameters: ['0', '0', String(Math.PI / 2), '1', '2', '3'],
      CenterOfRotationPoint: ['10', '0', '0'],
    };
    expect(applyToPoint(eulerMapLps(map), [11, 0, 0]).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([11, 3, 3]);
    // ZXY (default) and ZYX differ once two angles are non-zero.
    const angles = { ...map, TransformParameters: ['0.3', '0.2', '0.1', '0', '0', '0'], CenterOfRotationPoint: ['0', '0', '0'] };
    close(eulerMapLps(angles), compose(rotationY(0.2), rotationX(0.3), rotationZ(0.1)));
    close(eulerMapLps({ ...angles, ComputeZYX: ['true'] }), compose(rotationX(0.3), rotationY(0.2), rotationZ(0.1)));
    // An LPS translation of +5 in x (towards the left) is −5 in RAS x.
    const shift = worldMapFromElastix([{ ...map, TransformParameters: ['0', '0', '0', '5', '0', '0'] }]);
    close(shift, translation([-5, 0, 0]));
    close(rasMapToLps(lpsMapToRas(eulerMapLps(angles))), eulerMapLps(angles));
    // Two maps compose: the first is applied first.
    const two = worldMapFromElastix([{ ...map, TransformParameters: ['0', '0', '0', '5', '0', '0'] }, { ...map, CenterOfRotationPoint: ['0', '0', '0'], TransformParameters: ['0', '0', String(Math.PI / 2), '0', '0', '0'] }]);
    // RAS (0,0,0) → LPS (0,0,0) → +5 x → (5,0,0) → rot z 90° → (0,5,0) LPS → RAS (0,−5,0).
    expect(applyToPoint(two, [0, 0, 0]).map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([0, -5, 0]);
  });

  it('refuses transforms it cannot read, naming what is wrong', () => {
    expect(() => eulerMapLps({ Transform: ['AffineTransform'] })).toThrow(/expected EulerTransform, got AffineTransform/);
    expect(() => eulerMapLps({ Transform: ['EulerTransform'], TransformParameters: ['1', 'x'], CenterOfRotationPoint: ['0', '0', '0'] })).toThrow(/TransformParameters should hold 6 numbers/);
    expect(() => worldMapFromElastix([])).toThrow(/empty/);
  });
});

describe('resampling', () => {
  const ramp = ([x, y, z]: readonly number[]) => 3 * x - 2 * y + 0.5 * z + 100;

  it('trilinear resampling reproduces a linear field exactly through any rigid map and oblique grids', () => {
    const source: ScalarVolume = { grid: { dims: [40, 44, 36], affine: [[-2, 0, 0, 40], [0, -2, 0, 44], [0, 0, 2, -36], [0, 0, 0, 1]] }, values: new Float32Array(0) };
    source.values = sampleOnGrid(source.grid, ramp);
    const target = obliqueGrid([30, 28, 26], [1.5, 1.5, 2], 12, [2, -3, 1]);
    const map = compose(rotationX(0.1), rotationZ(-0.2), translation([3, 1, -2]));
    const out = resampleLinear(source, target, map, -1);
    const [X, Y, Z] = target.dims;
    let inside = 0;
    for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) {
      const n = i + X * (j + Y * k);
      if (out[n] === -1) continue;
      inside++;
      // Values near the edge may be clamped to the edge voxel (half-voxel rule): check inside points only.
      const s = applyToPoint(invert4(source.grid.affine), applyToPoint(map, applyToPoint(target.affine, [i, j, k])));
      if (s.every((v, a) => v >= 0 && v <= source.grid.dims[a] - 1)) expect(Math.abs(out[n] - ramp(applyToPoint(map, applyToPoint(target.affine, [i, j, k]))))).toBeLessThan(1e-2);
    }
    expect(inside).toBeGreaterThan(X * Y * Z * 0.5);
    // Far outside: fill.
    const away = resampleLinear(source, target, translation([500, 0, 0]), -7);
    expect(away.every((v) => v === -7)).toBe(true);
  });

  it('nearest-neighbour resampling keeps labels exact: a flip of the storage order is undone exactly', () => {
    const uniform = mulberry32(9);
    const grid = bratsAtlasGrid();
    const small: Grid = { dims: [12, 10, 8], affine: grid.affine };
    const labels = Uint8Array.from({ length: 960 }, () => [0, 1, 2, 4][Math.floor(uniform() * 4)]);
    // The same voxels stored R, A, S: i and j reversed.
    const ras: Grid = { dims: [12, 10, 8], affine: [[1, 0, 0, -11], [0, 1, 0, 239 - 9], [0, 0, 1, 0], [0, 0, 0, 1]] };
    const flipped = resampleNearest(labels, small, ras, identity4());
    expect(flipped[0]).toBe(labels[11 + 12 * 9]);
    expect(resampleNearest(flipped, ras, small, identity4())).toEqual(labels);
    expect(resampleNearest(Int16Array.from(labels), small, ras, identity4())).toBeInstanceOf(Int16Array);
  });

  it('block averaging keeps the image in the same physical place', () => {
    const grid: Grid = { dims: [31, 20, 9], affine: obliqueGrid([31, 20, 9], [0.5, 0.5, 3], 20, [0, 0, 0]).affine };
    const small = blockAverage({ grid, values: sampleOnGrid(grid, ramp) }, [4, 4, 1]);
    expect(small.grid.dims).toEqual([7, 5, 9]);
    // A block's mean of a linear field is the field at the block's centre: the new affine's voxel centre.
    const expected = sampleOnGrid(small.grid, ramp);
    small.values.forEach((v, n) => expect(Math.abs(v - expected[n])).toBeLessThan(1e-3));
  });
});

describe('simulated scans and map back', () => {
  it('a thick-slice scan of a linear field through a rigid motion is that field at each slice centre', () => {
    const atlas: Grid = { dims: [90, 90, 80], affine: bratsAtlasGrid().affine };
    const source: ScalarVolume = { grid: atlas, values: sampleOnGrid(atlas, ([x, y, z]) => 0.2 * x + 0.1 * y - 0.3 * z + 200) };
    const motion = rawToAtlasMap({ rotationDeg: [8, -5, 3], translationMm: [4, -6, 2] }, [-45, 195, 40]);
    const raw = scannerGrid({ dims: [36, 36, 10], spacingMm: [1.8, 1.8, 5], axes: ['L', 'A', 'S'], centreMm: [0, 0, 0] });
    const values = simulateScan(source, raw, motion);
    const expected = sampleOnGrid(raw, (p) => { const [x, y, z] = applyToPoint(motion, p); return 0.2 * x + 0.1 * y - 0.3 * z + 200; });
    values.forEach((v, n) => expect(Math.abs(v - expected[n])).toBeLessThan(1e-2));
  });

  it('a label ball on the atlas grid lands on an oblique native grid where the map says, with its volume in mL', () => {
    const atlas: Grid = { dims: [80, 80, 64], affine: bratsAtlasGrid().affine };
    const centreAtlas: Vec3 = [-40, 200, 30];
    const ball = Uint8Array.from(sampleOnGrid(atlas, ([x, y, z]) => (Math.hypot(x - centreAtlas[0], y - centreAtlas[1], z - centreAtlas[2]) <= 15 ? 2 : 0)));
    const native = obliqueGrid([70, 70, 20], [1, 1, 4], 15, [0, 0, 0]);
    const atlasToNative = invert4(rawToAtlasMap({ rotationDeg: [10, 0, -7], translationMm: [0, 5, 0] }, [-42, 197, 32]));
    const onNative = maskToNative(ball, atlas, native, atlasToNative);
    const sphereMl = ((4 / 3) * Math.PI * 15 ** 3) / 1000;
    expect(labelMl(ball, atlas).get(2)! / sphereMl).toBeCloseTo(1, 1);
    expect(labelMl(onNative, native).get(2)! / sphereMl).toBeGreaterThan(0.93);
    expect(labelMl(onNative, native).get(2)! / sphereMl).toBeLessThan(1.07);
    expect(voxelMl(native)).toBeCloseTo(0.004, 9);
    // The ball's centre on the native grid is atlasToNative(centre).
    const [X, Y, Z] = native.dims;
    const sum = [0, 0, 0];
    let count = 0;
    for (let k = 0; k < Z; k++) for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) if (onNative[i + X * (j + Y * k)]) {
      applyToPoint(native.affine, [i, j, k]).forEach((v, a) => (sum[a] += v));
      count++;
    }
    const expected = applyToPoint(atlasToNative, centreAtlas);
    expect(Math.hypot(...sum.map((s, a) => s / count - expected[a]))).toBeLessThan(1);
  });
});

describe('quality', () => {
  it('brain Dice and NMI separate an aligned pair from a shifted one', () => {
    const grid: Grid = { dims: [50, 56, 46], affine: [[-2.5, 0, 0, 62], [0, -2.5, 0, 70], [0, 0, 2.5, -57], [0, 0, 0, 1]] };
    const a = phantomSeries(grid, identity4()).values;
    const same = phantomSeries(grid, identity4(), -1).values; // other contrast, same head
    const shifted = phantomSeries(grid, translation([15, 0, 0]), -1).values;
    const mask = foregroundMask(a);
    expect(maskDice(mask, foregroundMask(same))).toBeGreaterThan(0.99);
    expect(maskDice(mask, foregroundMask(shifted))).toBeLessThan(0.85);
    expect(normalisedMutualInformation(a, same, mask)).toBeGreaterThan(normalisedMutualInformation(a, shifted, mask));
    expect(poorRegistrationMessage('FLAIR onto the T1Gd', { brainDice: 0.7, nmi: 1.01 }, 'sameSubject')).toMatch(/FLAIR onto the T1Gd: the registration looks wrong \(brain overlap 0\.70, below 0\.95\)/);
    expect(poorRegistrationMessage('FLAIR onto the T1Gd', { brainDice: 0.97, nmi: 1.2 }, 'sameSubject')).toBeNull();
  });
});

describe('registerStudy (registrar stubbed with known maps)', () => {
  // The head on an atlas-like 2.5 mm grid, and four series each moved by its own rigid map.
  const atlasGrid: Grid = { dims: [50, 56, 46], affine: [[-2.5, 0, 0, 62], [0, -2.5, 0, 70], [0, 0, 2.5, -57], [0, 0, 0, 1]] };
  const uniform = mulberry32(21);
  const seriesToHead = { t1: randomRigid(uniform), t1ce: randomRigid(uniform), t2: randomRigid(uniform), flair: randomRigid(uniform) };
  const grids = {
    t1: obliqueGrid([80, 76, 34], [2.2, 2.2, 5], 5, [1, 2, 3]),
    t1ce: obliqueGrid([84, 80, 36], [2, 2, 4.5], -8, [0, -4, 2]),
    t2: obliqueGrid([76, 72, 35], [2.3, 2.3, 5], 3, [-2, 0, 0]),
    flair: obliqueGrid([80, 78, 33], [2.1, 2.1, 5], 0, [3, 3, -3]),
  };
  const study = Object.fromEntries(Object.entries(grids).map(([m, g]) => [m, phantomSeries(g, seriesToHead[m as keyof typeof grids], m === 't2' ? -1 : 1)])) as StudyVolumes;
  const atlas = phantomSeries(atlasGrid, identity4());
  // Series are told apart by their slice counts (block averaging keeps thick slices as they are).
  const byDims = (v: ScalarVolume) => (Object.keys(grids) as (keyof typeof grids)[]).find((m) => v.grid.dims[2] === grids[m].dims[2])!;
  const isAtlas = (v: ScalarVolume) => byDims(v) === undefined;
  /** The exact fixed → moving map a perfect registration returns (optionally spoiled for one series). */
  const stub = (spoil?: keyof typeof grids): Registrar => ({
    async registerRigid(fixed, moving) {
      const m = byDims(moving);
      const fixedToHead = isAtlas(fixed) ? identity4() : seriesToHead.t1ce;
      const exact = compose(fixedToHead, invert4(seriesToHead[m]));
      return m === spoil ? compose(translation([0, 0, 25]), exact) : exact;
    },
  });

  it('composes atlas → T1Gd → series, resamples each series once, and passes a good registration', async () => {
    const steps: string[] = [];
    const result = await registerStudy(study, atlas, stub(), { outputGrid: atlasGrid, registrationMm: 4, onStep: (s) => steps.push(s) });
    const points: Vec3[] = [[0, 0, 0], [30, -20, 10], [-25, 30, -20], [10, 40, 25]];
    for (const m of ['t1', 't1ce', 't2', 'flair'] as const) {
      expect(displacement(result.modalities[m].atlasToNative, invert4(seriesToHead[m]), points).maxMm).toBeLessThan(1e-6);
      expect(result.modalities[m].problem, `${m}: ${JSON.stringify(result.modalities[m].quality)}`).toBeNull();
      expect(result.modalities[m].quality.brainDice).toBeGreaterThan(0.95);
    }
    // The T1 on the atlas grid is the head again (thick slices blur it: compare within the head).
    const expected = sampleOnGrid(atlasGrid, (p) => phantomSeries({ dims: [1, 1, 1], affine: translation(p) }, identity4()).values[0]);
    const mask = foregroundMask(expected, 0.5);
    let err = 0, n = 0;
    mask.forEach((v, i) => v && ((err += Math.abs(result.modalities.t1.onAtlas[i] - expected[i])), n++));
    expect(err / n).toBeLessThan(3); // intensities 40–160
    expect(steps).toEqual(['downsample', 'register T1Gd → atlas', 'register T1 → T1Gd', 'register T2 → T1Gd', 'register FLAIR → T1Gd', 'resample atlas', 'resample T1Gd', 'resample T1', 'resample T2', 'resample FLAIR']);
    expect(result.timings).toHaveLength(steps.length);
    expect(() => throwIfPoorRegistration(result)).not.toThrow();
  });

  it('judges a series that images only part of the head on that part (no false alarm)', async () => {
    const partial = { ...study, flair: phantomSeries(obliqueGrid([80, 78, 13], [2.1, 2.1, 5], 0, [3, 3, -3]), seriesToHead.flair) };
    const partialStub: Registrar = {
      async registerRigid(fixed, moving) {
        const fixedToHead = isAtlas(fixed) ? identity4() : seriesToHead.t1ce;
        const m = moving.grid.dims[2] === 13 ? 'flair' : byDims(moving);
        return compose(fixedToHead, invert4(seriesToHead[m]));
      },
    };
    const result = await registerStudy(partial, atlas, partialStub, { outputGrid: atlasGrid, registrationMm: 4 });
    expect(result.modalities.flair.problem, JSON.stringify(result.modalities.flair.quality)).toBeNull();
    expect(result.modalities.flair.quality.brainDice).toBeGreaterThan(0.95);
  });

  it('reports a series that registered 25 mm off, and throwIfPoorRegistration stops with its name', async () => {
    const result = await registerStudy(study, atlas, stub('flair'), { outputGrid: atlasGrid, registrationMm: 4 });
    expect(result.modalities.flair.problem).toMatch(/^FLAIR onto the T1Gd: the registration looks wrong/);
    expect(result.modalities.t1.problem).toBeNull();
    let thrown: unknown;
    try { throwIfPoorRegistration(result, ['flair.nii.gz']); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).code).toBe('poor-registration');
    expect((thrown as InputError).message).toMatch(/FLAIR/);
    expect((thrown as InputError).message).not.toMatch(/T2 onto/);
  });
});

it('rotationAngleDeg reads the angle of a rotation', () => {
  expect(rotationAngleDeg(rotationY(deg(17)))).toBeCloseTo(17, 9);
});
