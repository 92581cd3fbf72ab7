/**
 * Which DICOM transfer syntaxes the `@niivue/dcm2niix` jpeg build (1.2.0: dcm2niix
 * v1.0.20241231 with OpenJPEG and CharLS) decodes. Probed against the wasm itself
 * (transferSyntax.test.ts): every UID listed here is attempted by dcm2niix; the others it
 * refuses as "Unsupported transfer syntax" (deflate, JPEG 2000 Part 2, JPIP, MPEG-2/4,
 * H.264, HEVC, JPEG XL, HTJ2K RPCL) — Attune refuses those itself, before converting, with
 * a message that says how to decompress them.
 */
export const READABLE_TRANSFER_SYNTAXES: Record<string, string> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  // Baseline/extended JPEG: 8-bit images only (dcm2niix says so for 12/16-bit ones).
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

/** Names of transfer syntaxes dcm2niix refuses, for the message (others are shown by UID). */
const REFUSED_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2 multi-component lossless',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2 multi-component',
  '1.2.840.10008.1.2.4.94': 'JPIP referenced',
  '1.2.840.10008.1.2.4.95': 'JPIP referenced deflate',
  '1.2.840.10008.1.2.4.100': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.101': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 AVC/H.264 video',
  '1.2.840.10008.1.2.4.107': 'HEVC/H.265 video',
  '1.2.840.10008.1.2.4.108': 'HEVC/H.265 video',
  '1.2.840.10008.1.2.4.110': 'JPEG XL lossless',
  '1.2.840.10008.1.2.4.111': 'JPEG XL recompression',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
  '1.2.840.10008.1.2.4.202': 'HTJ2K lossless RPCL',
};

/** Whether dcm2niix can decode files stored with this transfer syntax (null: none given, implicit LE). */
export function isReadableTransferSyntax(uid: string | null): boolean {
  return uid === null || uid in READABLE_TRANSFER_SYNTAXES;
}

export function transferSyntaxName(uid: string): string {
  return READABLE_TRANSFER_SYNTAXES[uid] ?? REFUSED_NAMES[uid] ?? 'an unknown transfer syntax';
}
