import { parseMeshnet, type MeshnetModel } from '../core/skullStrip/index.ts';

/**
 * MindGrab (a tfjs layers model.json + weight files) fetched from the app's own origin and
 * read into core's MeshnetModel: the weight files named by its manifest, fetched next to
 * model.json and concatenated in manifest order, as tfjs would.
 */
export async function fetchMindgrab(modelUrl: string): Promise<MeshnetModel> {
  const response = await fetch(modelUrl);
  if (!response.ok) throw new Error(`MindGrab's model.json could not be loaded (${response.status} ${modelUrl})`);
  const json = (await response.json()) as { weightsManifest?: { paths: string[] }[] };
  const paths = (json.weightsManifest ?? []).flatMap((g) => g.paths);
  const parts = await Promise.all(
    paths.map(async (p) => {
      const r = await fetch(new URL(p, modelUrl));
      if (!r.ok) throw new Error(`MindGrab's weights ${p} could not be loaded (${r.status})`);
      return new Uint8Array(await r.arrayBuffer());
    }),
  );
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  return parseMeshnet(json, bytes);
}

export { mindgrabStripper } from '../core/skullStrip/index.ts';
