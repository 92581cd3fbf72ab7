import type { Modality } from '../../modality/index.ts';
import { compose, identity4, rotationX, rotationY, rotationZ, translation, type Mat4, type Vec3 } from '../matrix.ts';
import type { StudyVolumes } from '../registerStudy.ts';
import type { RigidRegistrationSettings } from '../rigidParameterMap.ts';
import type { Grid, ScalarVolume } from '../types.ts';
import { phantomSeries } from './headPhantom.ts';

const deg = (d: number) => (d * Math.PI) / 180;

/** An oblique grid with permuted voxel axes (i → A, j → S, k → R), like a tilted scanner series. */
function obliqueGrid(dims: [number, number, number], spacing: Vec3, tiltDeg: number, centre: Vec3): Grid {
  const axes: Mat4 = [[0, 0, spacing[2], 0], [spacing[0], 0, 0, 0], [0, spacing[1], 0, 0], [0, 0, 0, 1]];
  return { dims, affine: compose(translation(dims.map((d) => -(d - 1) / 2)), axes, rotationX(deg(tiltDeg)), rotationZ(deg(tiltDeg / 2)), translation(centre)) };
}

export interface PhantomStudy {
  study: StudyVolumes;
  /** The head on its own frame: registering onto it must return each series' seriesToHead⁻¹. */
  atlas: ScalarVolume;
  /** The grid the series are resampled onto (small, for speed). */
  outputGrid: Grid;
  /** Each series' known motion: its world → the head's world. */
  seriesToHead: Record<Modality, Mat4>;
  /** Points over the head (mm) a registration error is measured on. */
  headPoints: Vec3[];
  /** elastix settings that register this study in seconds (2 levels, fewer iterations). */
  settings: Partial<RigidRegistrationSettings>;
  registrationMm: number;
}

/**
 * A small study of the analytic head (testing/headPhantom.ts) as four series would record
 * it: the T1Gd moved by 9–14° about each axis and 8–10 mm, the other
 * three a further 3–5° and 3–5 mm each (a patient moving between series of one session),
 * each on its own oblique, permuted grid (~3 × 3 × 3.5–4 mm), T2 with inverted blob
 * contrast (mutual information must cope); the atlas is the head unmoved on a 3 mm grid.
 * Fixed values, so the browser and Node register exactly the same images. Tests only.
 */
/**
 * The motions of a study's series: the T1Gd far from the atlas (as a scanner's coordinates
 * are); the other series of the same session a few degrees and millimetres off the T1Gd, as a
 * patient moves between series.
 */
export function phantomSeriesMotions(): Record<Modality, Mat4> {
  const t1ce = compose(rotationX(deg(12)), rotationY(deg(-9)), rotationZ(deg(14)), translation([8, -6, 10]));
  return {
    t1ce,
    t1: compose(rotationX(deg(-4)), rotationY(deg(3)), rotationZ(deg(-5)), translation([-4, 5, -3]), t1ce),
    t2: compose(rotationX(deg(5)), rotationY(deg(4)), rotationZ(deg(-3)), translation([5, 3, -4]), t1ce),
    flair: compose(rotationX(deg(-3)), rotationY(deg(-5)), rotationZ(deg(4)), translation([-3, -5, 4]), t1ce),
  };
}

export function phantomStudy(): PhantomStudy {
  const seriesToHead = phantomSeriesMotions();
  const grids: Record<Modality, Grid> = {
    t1ce: obliqueGrid([56, 46, 38], [3, 3, 3.5], -8, [0, -4, 2]),
    t1: obliqueGrid([54, 44, 36], [3.1, 3.1, 3.8], 5, [1, 2, 3]),
    t2: obliqueGrid([52, 44, 37], [3.2, 3.2, 3.6], 3, [-2, 0, 0]),
    flair: obliqueGrid([54, 46, 35], [3.1, 3.1, 4], 0, [3, 3, -3]),
  };
  const study = Object.fromEntries(
    (Object.keys(grids) as Modality[]).map((m) => [m, phantomSeries(grids[m], seriesToHead[m], m === 't2' ? -1 : 1)]),
  ) as StudyVolumes;
  const atlasGrid: Grid = { dims: [40, 48, 38], affine: [[-3, 0, 0, 58.5], [0, -3, 0, 70.5], [0, 0, 3, -55.5], [0, 0, 0, 1]] };
  const headPoints: Vec3[] = [];
  for (let x = -40; x <= 40; x += 20) for (let y = -50; y <= 50; y += 25) for (let z = -40; z <= 40; z += 20) headPoints.push([x, y, z]);
  return {
    study,
    atlas: phantomSeries(atlasGrid, identity4()),
    outputGrid: atlasGrid,
    seriesToHead,
    headPoints,
    settings: { resolutions: 2, iterations: 100, samples: 1024 },
    registrationMm: 3,
  };
}
