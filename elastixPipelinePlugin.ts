import { createReadStream, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { ELASTIX_PIPELINE_DIR, ELASTIX_PIPELINE_FILES } from './src/worker/elastixPipeline.ts';

/**
 * Serves @itk-wasm/elastix's pipeline (elastix.js + elastix.wasm.zst) from the app's own
 * origin under ELASTIX_PIPELINE_DIR, with the package's licence beside it: emitted into the
 * build (so `vite preview`, any static server and the service worker's precache have it) and
 * answered by a middleware in dev. Neither a `?url` import nor `public/` can do it: the
 * package's exports map forbids deep imports, hashed names break itk-wasm's `.js` →
 * `.wasm.zst` naming, and a copy in `public/` would be 2.5 MB of a dependency committed twice.
 */

// The package's root, found the way Node finds it (its exports only name dist/index*.js).
const packageRoot = join(dirname(fileURLToPath(import.meta.resolve('@itk-wasm/elastix'))), '..');

/** Served name → file in the package: the pipeline's two files and its Apache-2.0 licence. */
const SERVED: Record<string, string> = {
  ...Object.fromEntries(ELASTIX_PIPELINE_FILES.map((f) => [f, join(packageRoot, 'dist', 'pipelines', f)])),
  LICENSE: join(packageRoot, 'LICENSE'),
};

const CONTENT_TYPES: Record<string, string> = { 'elastix.js': 'text/javascript', 'elastix.wasm.zst': 'application/zstd', LICENSE: 'text/plain; charset=utf-8' };

export function elastixPipelinePlugin(): Plugin {
  let base = '/';
  return {
    name: 'attune-elastix-pipeline',
    configResolved(config) {
      base = config.base;
    },
    generateBundle() {
      for (const [name, file] of Object.entries(SERVED)) this.emitFile({ type: 'asset', fileName: `${ELASTIX_PIPELINE_DIR}/${name}`, source: readFileSync(file) });
    },
    configureServer(server) {
      const prefix = `${base.replace(/\/?$/, '/')}${ELASTIX_PIPELINE_DIR}/`;
      server.middlewares.use((req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const name = path.startsWith(prefix) ? path.slice(prefix.length) : null;
        const file = name !== null && Object.hasOwn(SERVED, name) ? SERVED[name] : null;
        if (!file) return next();
        res.setHeader('Content-Type', CONTENT_TYPES[name!]);
        res.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(res);
      });
    },
  };
}
