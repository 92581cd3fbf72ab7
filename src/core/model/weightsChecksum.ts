import type { WeightEntry } from './contract.ts';

/**
 * FNV-1a (32-bit) over every weight's name and float32 bytes, in name order, as 8 hex
 * digits: ties a calibration file to exactly the weights it was measured with (a retrained
 * model has other statistics, and a stale calibration would read every scan wrongly).
 * Computed from the weights file's bytes at decode time (`AttuneModel.checksum`), so no
 * backend has to read its tensors back.
 */
export function weightsChecksum(specs: readonly Pick<WeightEntry, 'name' | 'shape'>[], bytes: Uint8Array): string {
  const ranges = new Map<string, [number, number]>();
  let offset = 0;
  for (const s of specs) {
    const n = 4 * s.shape.reduce((a, b) => a * b, 1);
    ranges.set(s.name, [offset, offset + n]);
    offset += n;
  }
  let h = 0x811c9dc5;
  for (const name of [...ranges.keys()].sort()) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const [a, b] = ranges.get(name)!;
    for (let i = a; i < b; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
