/**
 * The Content-Security-Policy of the built app: everything from its own origin, nothing
 * else — no remote scripts, styles, fonts, images, connections or frames. The exceptions
 * are what the model runtime needs, each for a reason:
 * - 'wasm-unsafe-eval': compiling tfjs's WebAssembly backend (allows wasm, not JS eval);
 * - blob: for workers and scripts: tfjs's multi-threaded wasm starts its pthread workers
 *   from a blob: URL holding its own code (made by the app's own script, never fetched);
 * - data:/blob: images: niivue's font atlas and canvas snapshots;
 * - data: connections: itk-wasm decodes elastix's pipeline (elastix.wasm.zst) with zstddec,
 *   which compiles its own small decoder from `fetch('data:application/wasm;base64,…')` — bytes
 *   already in the script, not a request (Chromium blocks it under connect-src 'self':
 *   e2e/registration.spec.ts);
 * - 'unsafe-inline' styles: React and uPlot set style attributes (no script is inline).
 * Sent as a header by `vite preview` (and the e2e server), and written into the built
 * index.html as a <meta> so any static server that serves the files keeps it; the dev
 * server has none (Vite's hot reload injects inline scripts).
 */
const DIRECTIVES: [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval' blob:"],
  ['worker-src', "'self' blob:"],
  ['connect-src', "'self' data:"],
  ['img-src', "'self' data: blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['font-src', "'self'"],
  ['media-src', "'self'"],
  ['manifest-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'none'"],
];

/** The policy as a <meta http-equiv> carries it (frame-ancestors is ignored there). */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.map(([d, v]) => `${d} ${v}`).join('; ');

/** The header adds what only a header can say: no framing by other sites. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`;
