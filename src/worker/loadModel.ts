import { decodeModel, type AttuneModel, type ModelManifest } from '../core/model/index.ts';
import type { ModelSource } from './protocol.ts';

/** Fetches model.json and its shards from the app's own origin; decoding is core's. */
export async function loadModel(source: ModelSource): Promise<AttuneModel> {
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
  return decodeModel(manifest, shards);
}
