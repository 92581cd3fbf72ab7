import { compose, multiply4, rotationX, rotationY, rotationZ, translation, type Mat4 } from './matrix.ts';
import { lpsMapToRas } from './itkSpace.ts';
import type { WorldMap } from './types.ts';

/** One elastix parameter map: every value is a list of strings, as elastix writes them. */
export type ParameterMap = Record<string, string[]>;

function numbers(map: ParameterMap, key: string, count: number): number[] {
  const raw = map[key];
  const values = (raw ?? []).map(Number);
  if (values.length !== count || values.some((v) => !Number.isFinite(v))) {
    throw new Error(`elastix transform: ${key} should hold ${count} numbers, got ${JSON.stringify(raw)}`);
  }
  return values;
}

/**
 * The point map of one elastix EulerTransform map, in elastix's own LPS coordinates:
 * T(x) = R (x − c) + c + t, with parameters [θx, θy, θz, tx, ty, tz] and c the
 * CenterOfRotationPoint. R = Rz·Rx·Ry (ITK's Euler3DTransform default), or Rz·Ry·Rx when
 * ComputeZYX is "true".
 */
export function eulerMapLps(map: ParameterMap): Mat4 {
  const transform = map.Transform?.[0];
  if (transform !== 'EulerTransform') throw new Error(`elastix transform: expected EulerTransform, got ${transform ?? 'none'}`);
  const [ax, ay, az, tx, ty, tz] = numbers(map, 'TransformParameters', 6);
  const centre = numbers(map, 'CenterOfRotationPoint', 3);
  const zyx = map.ComputeZYX?.[0] === 'true';
  const rotation = zyx ? compose(rotationX(ax), rotationY(ay), rotationZ(az)) : compose(rotationY(ay), rotationX(ax), rotationZ(az));
  return compose(translation(centre.map((v) => -v)), rotation, translation([centre[0] + tx, centre[1] + ty, centre[2] + tz]));
}

/**
 * The fixed → moving world map (RAS) of an elastix transform parameter object. Several
 * maps are elastix's chain: with HowToCombineTransforms "Compose" the first map is the
 * initial transform of the second, applied first: T(x) = T₂(T₁(x)).
 */
export function worldMapFromElastix(parameterObject: readonly ParameterMap[]): WorldMap {
  if (parameterObject.length === 0) throw new Error('elastix transform: the transform parameter object is empty');
  for (const map of parameterObject.slice(1)) {
    const how = map.HowToCombineTransforms?.[0] ?? 'Compose';
    if (how !== 'Compose') throw new Error(`elastix transform: HowToCombineTransforms "${how}" is not supported`);
  }
  const lps = parameterObject.map(eulerMapLps).reduce((acc, m) => multiply4(m, acc));
  return lpsMapToRas(lps);
}
