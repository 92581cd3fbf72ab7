import { decodeModel, type AttuneModel, type ModelManifest } from '../core/model/index.ts';
import type { CalibrationStatus, ModelSource } from './protocol.ts';
import { parseCalibration, type Calibration } from '../core/signals/index.ts';

/** model.json and its shards as fetched: kept so the model can be rebuilt on another backend. */
export interface ModelFiles {
  manifest: ModelManifest;
  shards: ArrayBuffer[];
}

/** Fetches model.json and its shards from the app's own origin. */
export async function fetchModelFiles(source: ModelSource): Promise<ModelFiles> {
  const get = async (url: string) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`could not load the model file ${url}: HTTP ${r.status}`);
    return r;
  };
  const manifest = (await (await get(source.manifestUrl)).json()) as ModelManifest;
  const paths = manifest.weightsManifest?.flatMap((g) => g.paths) ?? [];
  const shards = await Promise.all(
    paths.map((p) => {
      const url = source.shardUrls[p] ?? new URL(p, new URL(source.manifestUrl, self.location.href)).href;
      return get(url).then((r) => r.arrayBuffer());
    }),
  );
  return { manifest, shards };
}

/** The model's tensors on the current tfjs backend; decoding is core's. */
export function buildModel(files: ModelFiles): AttuneModel {
  return decodeModel(files.manifest, files.shards);
}

/** Fetch and build in one step (the benchmark's entry point). */
export async function loadModel(source: ModelSource): Promise<AttuneModel> {
  return buildModel(await fetchModelFiles(source));
}

/**
 * The model's calibration.json (next to model.json unless the source names it), checked
 * against the weights. Missing or unreadable: `auto` keeps the baseline and says why.
 */
export async function fetchCalibration(source: ModelSource, modelChecksum: string): Promise<{ calibration: Calibration | null; status: CalibrationStatus }> {
  const url = source.calibrationUrl ?? new URL('calibration.json', new URL(source.manifestUrl, self.location.href)).href;
  let json: unknown;
  try {
    const r = await fetch(url);
    if (!r.ok) return { calibration: null, status: { state: 'missing', message: `this model has no calibration (${url}: HTTP ${r.status})` } };
    json = await r.json();
  } catch (e) {
    return { calibration: null, status: { state: 'missing', message: `this model's calibration could not be read (${(e as Error).message})` } };
  }
  try {
    const calibration = parseCalibration(json, modelChecksum);
    return { calibration, status: { state: 'loaded', scans: calibration.scans.length } };
  } catch (e) {
    return { calibration: null, status: { state: 'refused', message: (e as Error).message } };
  }
}
