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
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  // Copy into a fresh buffer first: the stream must never hold the caller's memory.
  const stream = new Blob([bytes.slice()]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Synchronous gzip (fflate) so writers stay pure functions usable anywhere. */
export function gzip(bytes: Uint8Array): Uint8Array {
  // mtime 0: the gzip header would otherwise hold the current time, and the same volume
  // must always give the same bytes (deterministic fixtures, reproducible exports).
  return gzipSync(bytes, { level: 6, mtime: 0 });
}
