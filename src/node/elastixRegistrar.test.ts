import { afterEach, describe, expect, it, vi } from 'vitest';
import { compose, displacement, invert4, rotationX, rotationY, rotationZ, translation, type Grid, type Vec3 } from '../core/registration/index.ts';
import { phantomSeries } from '../core/registration/testing/headPhantom.ts';
import { elastixNodeRegistrar } from './elastixRegistrar.ts';

const deg = (d: number) => (d * Math.PI) / 180;
/** Points over the phantom head (mm) the error is measured on. */
const headPoints: Vec3[] = [];
for (let x = -40; x <= 40; x += 20) for (let y = -50; y <= 50; y += 25) for (let z = -40; z <= 40; z += 20) headPoints.push([x, y, z]);

afterEach(() => vi.restoreAllMocks());

describe('elastix in Node (itk-wasm, wasm shipped in the package)', () => {
  it('recovers a known rigid motion between an LPS grid and an oblique, permuted one, fetching nothing', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    // Fixed: the head on a BraTS-like L, P, S grid (3 mm, for speed).
    const fixedGrid: Grid = { dims: [40, 48, 38], affine: [[-3, 0, 0, 58.5], [0, -3, 0, 70.5], [0, 0, 3, -55.5], [0, 0, 0, 1]] };
    // Moving: voxel axes i → S, j → R, k → A, tilted 11° (an oblique scanner series), 2.8–3.6 mm voxels.
    const tilted = compose([[0, 0, 3.6, 0], [2.8, 0, 0, 0], [0, 3.2, 0, 0], [0, 0, 0, 1]], rotationX(deg(11)));
    const movingGrid: Grid = { dims: [50, 46, 42], affine: compose(translation([-25, -23, -21]), tilted) };
    // The series sees the head moved by rotations about all three axes and a translation:
    // reading the angles in the wrong order (ZYX for ZXY) would be 2.3 mm off on average
    // here, a transposed direction matrix far more.
    const seriesToHead = compose(rotationX(deg(15)), rotationY(deg(-12)), rotationZ(deg(18)), translation([8, -6, 10]));
    const fixed = phantomSeries(fixedGrid, compose());
    const moving = phantomSeries(movingGrid, seriesToHead, -1); // another contrast: mutual information
    const recovered = await elastixNodeRegistrar().registerRigid(fixed, moving, { resolutions: 2, iterations: 150, samples: 2048 });
    const truth = invert4(seriesToHead);
    const error = displacement(recovered, truth, headPoints);
    expect(displacement(compose(), truth, headPoints).meanMm).toBeGreaterThan(15); // the motion is large
    expect(error.meanMm).toBeLessThan(1);
    expect(error.maxMm).toBeLessThan(2);
    expect(fetchSpy).not.toHaveBeenCalled();
  }, 180_000); // seconds alone; minutes when the machine is busy

  it('turns an elastix failure into a registration-failed error', async () => {
    const grid: Grid = { dims: [8, 8, 8], affine: [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]] };
    const blank = { grid, values: new Float32Array(512) };
    await expect(elastixNodeRegistrar().registerRigid(blank, blank, { resolutions: 1, iterations: 5 })).rejects.toMatchObject({ code: 'registration-failed', message: expect.stringMatching(/^Registration failed in elastix: (?!undefined)\S/) });
  });
});
