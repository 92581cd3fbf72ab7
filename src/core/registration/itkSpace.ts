import { multiply4, type Mat4 } from './matrix.ts';
import { spacingOf } from './grid.ts';
import type { ScalarVolume, WorldMap } from './types.ts';

/**
 * ITK (and so elastix) puts physical points in LPS (x → left, y → posterior), NIfTI in RAS.
 * The two differ by flipping x and y: p_lps = F · p_ras with F = diag(−1, −1, 1), F = F⁻¹.
 */
const FLIP: Mat4 = [[-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];

/** A map written in LPS coordinates (elastix's) as the same map in RAS: F · M · F. */
export function lpsMapToRas(m: Mat4): WorldMap {
  return multiply4(FLIP, multiply4(m, FLIP));
}

/** The inverse of lpsMapToRas (the same conjugation). */
export function rasMapToLps(m: WorldMap): Mat4 {
  return multiply4(FLIP, multiply4(m, FLIP));
}

/**
 * The shape of an itk-wasm `Image` (3D, scalar float32), built without importing itk-wasm
 * so this stays pure core code; the Node and browser registrars pass it on unchanged.
 * `direction` is row-major (itk-wasm's getMatrixElement: data[column + row · 3]): row r,
 * column c = LPS component r of voxel axis c.
 */
export interface ItkImage3D {
  imageType: { dimension: 3; componentType: 'float32'; pixelType: 'Scalar'; components: 1 };
  name: string;
  origin: number[];
  spacing: number[];
  direction: Float64Array;
  size: number[];
  metadata: Map<string, unknown>;
  data: Float32Array;
}

/** A volume as an itk-wasm image: same voxels (no copy), geometry in LPS. */
export function toItkImage(volume: ScalarVolume, name: string): ItkImage3D {
  const lps = multiply4(FLIP, volume.grid.affine);
  const spacing = spacingOf(volume.grid);
  const direction = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) direction[c + r * 3] = lps[r][c] / spacing[c];
  return {
    imageType: { dimension: 3, componentType: 'float32', pixelType: 'Scalar', components: 1 },
    name,
    origin: [lps[0][3], lps[1][3], lps[2][3]],
    spacing: [...spacing],
    direction,
    size: [...volume.grid.dims],
    metadata: new Map(),
    data: volume.values,
  };
}
