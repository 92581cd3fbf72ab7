import { gzipSync } from 'fflate';

/** True when the bytes start with the gzip magic number (RFC 1952: 1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip with the platform's DecompressionStream (browser, worker and Node
 * alike). Unlike a bare inflate it verifies the CRC-32 and length trailer, so a
 * corrupt or truncated .nii.gz is refused instead of yielding silently wrong voxels.
 * Rejects with the platform's error on bad data.
 */
export async function gunzip(bytes: Uint8Array, maxBytes = Infinity): Promise<Uint8Array> {
  // Copy into a fresh buffer first: the stream must never hold the caller's memory.
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
  if (!Number.isFinite(maxBytes)) return new Uint8Array(await new Response(stream).arrayBuffer());
  // Inflate chunk by chunk and stop past the budget, so a huge file never fills the memory.
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DecompressedTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** Thrown by gunzip when the data inflates past its `maxBytes`. */
export class DecompressedTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`decompresses to more than ${limitBytes} bytes`);
  }
}

/** Synchronous gzip (fflate) so writers stay pure functions usable anywhere. */
export function gzip(bytes: Uint8Array): Uint8Array {
  // mtime 0: the gzip header would otherwise hold the current time, and the same volume
  // must always give the same bytes (deterministic fixtures, reproducible exports).
  return gzipSync(bytes, { level: 6, mtime: 0 });
}
