/**
 * Where the app serves its copy of @itk-wasm/elastix's pipeline (`dist/pipelines/elastix.js`
 * and `elastix.wasm.zst`): fixed names under one folder, because itk-wasm finds the wasm by
 * the module's name (`<base>/elastix.js` → `<base>/elastix.wasm.zst`), so hashed asset names
 * cannot work. The Vite plugin (`elastixPipelinePlugin.ts`) emits them there; the worker
 * points itk-wasm at them with `setPipelinesBaseUrl`.
 */
export const ELASTIX_PIPELINE_DIR = 'itk/elastix';

/** The files itk-wasm loads for one `elastix` call, as the package ships them. */
export const ELASTIX_PIPELINE_FILES = ['elastix.js', 'elastix.wasm.zst'] as const;

/**
 * The absolute URL (no trailing slash, as itk-wasm joins `${base}/elastix.js`) of the app's
 * copy, from the page's URL and Vite's base path. Absolute because the worker that uses it
 * has its own URL (under assets/), against which a relative one would resolve elsewhere.
 */
export function elastixPipelinesBaseUrl(pageUrl: string, basePath = '/'): string {
  return new URL(`${basePath.replace(/\/?$/, '/')}${ELASTIX_PIPELINE_DIR}`, pageUrl).href;
}
