import type { ModelWeights } from './network.ts';

/**
 * FNV-1a (32-bit) over every weight's float32 bits, in name order, as 8 hex digits: ties a
 * calibration file to exactly the weights it was measured with (a retrained model has other
 * statistics, and a stale calibration would read every scan wrongly).
 */
export function weightsChecksum(weights: ModelWeights): string {
  let h = 0x811c9dc5;
  for (const name of Object.keys(weights).sort()) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const bytes = new Uint8Array(new Float32Array(weights[name].dataSync()).buffer);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
