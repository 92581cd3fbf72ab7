/**
 * The e2e registration study (src/core/registration/testing/phantomStudy.ts) registered in
 * Node — the same core code and the same elastix wasm as the browser's worker — for the
 * browser's timing and errors (e2e/registration.spec.ts) to be read against. Prints one JSON
 * record: wall time, time per step, mean/max error per series against the known motion, and
 * the maps (to compare with the browser's).
 *
 *   nice -n 10 npx tsx bench/registrationPhantomNode.ts
 */
import { displacement, invert4, registerStudy } from '../src/core/registration/index.ts';
import { phantomStudy } from '../src/core/registration/testing/phantomStudy.ts';
import { elastixNodeRegistrar } from '../src/node/elastixRegistrar.ts';

const phantom = phantomStudy();
const t0 = performance.now();
const result = await registerStudy(phantom.study, phantom.atlas, elastixNodeRegistrar(), {
  outputGrid: phantom.outputGrid,
  registrationMm: phantom.registrationMm,
  settings: phantom.settings,
});
const ms = Math.round(performance.now() - t0);
const errors = Object.fromEntries(
  (['t1ce', 't1', 't2', 'flair'] as const).map((m) => [m, displacement(result.modalities[m].atlasToNative, invert4(phantom.seriesToHead[m]), phantom.headPoints)]),
);
const maps = Object.fromEntries(Object.entries(result.modalities).map(([m, r]) => [m, r.atlasToNative]));
console.log(JSON.stringify({ runtime: `Node ${process.version}`, ms, timings: result.timings.map((t) => ({ step: t.step, ms: Math.round(t.ms) })), errors, maps }, null, 2));
