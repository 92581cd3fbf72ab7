import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel, type AttuneModel, type ModelManifest } from '../core/model/index.ts';

/** Reads models/<name>/model.json and its shards; decoding and checks are core's `decodeModel`. */
export async function loadModelDir(dir: string): Promise<AttuneModel> {
  const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as ModelManifest;
  const paths = manifest.weightsManifest?.flatMap((g) => g.paths) ?? [];
  const shards = await Promise.all(
    paths.map(async (p) => {
      const b = await readFile(join(dir, p));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    }),
  );
  return decodeModel(manifest, shards);
}
