import { describe, expect, it } from 'vitest';
import { writeDicomSlice } from '../testing/dicomFixtures.ts';
import { isDicomFile, readDicomTags } from './readDicomTags.ts';

const slice = (tags: Parameters<typeof writeDicomSlice>[0]['tags'], transferSyntaxUid?: string) =>
  writeDicomSlice({ rows: 2, columns: 2, pixels: new Int16Array(4), tags, transferSyntaxUid });

/** Implicit VR little endian elements (tag, 32-bit length, value), for a file without preamble. */
function implicit(elements: [number, number, Uint8Array | string][]): Uint8Array {
  const parts: number[] = [];
  for (const [g, e, value] of elements) {
    let bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    if (bytes.length % 2) bytes = new Uint8Array([...bytes, 0x20]);
    const head = new DataView(new ArrayBuffer(8));
    head.setUint16(0, g, true);
    head.setUint16(2, e, true);
    head.setUint32(4, bytes.length, true);
    parts.push(...new Uint8Array(head.buffer), ...bytes);
  }
  return new Uint8Array(parts);
}

describe('readDicomTags', () => {
  it('reads the series, contrast and body part of an explicit-VR Part-10 file', () => {
    const bytes = slice({ SeriesInstanceUID: '1.2.3.9', SeriesNumber: 12, SeriesDescription: 't1_post', ContrastBolusAgent: 'Gadovist', BodyPartExamined: 'HEAD' });
    expect(readDicomTags(bytes)).toEqual({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      modality: 'MR',
      seriesInstanceUid: '1.2.3.9',
      seriesNumber: 12,
      seriesDescription: 't1_post',
      contrastBolusAgent: 'Gadovist',
      bodyPartExamined: 'HEAD',
    });
  });

  it('reads an implicit-VR file without preamble, skipping an undefined-length sequence', () => {
    const undefinedLength = new Uint8Array([0xff, 0xff, 0xff, 0xff]);
    const item = new Uint8Array([0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff, 0x08, 0x00, 0x50, 0x11, 4, 0, 0, 0, 0x31, 0x2e, 0x32, 0x00, 0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0]);
    const seqEnd = new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    const head = implicit([[0x0008, 0x0060, 'MR']]);
    const seqHead = new Uint8Array([0x08, 0x00, 0x40, 0x11, ...undefinedLength]);
    const tail = implicit([[0x0018, 0x0010, 'Dotarem'], [0x0020, 0x000e, '1.2.5'], [0x0020, 0x0011, '4'], [0x7fe0, 0x0010, new Uint8Array(8)]]);
    const bytes = new Uint8Array([...head, ...seqHead, ...item, ...seqEnd, ...tail]);
    expect(isDicomFile(bytes)).toBe(true);
    expect(readDicomTags(bytes)).toMatchObject({ transferSyntaxUid: null, modality: 'MR', contrastBolusAgent: 'Dotarem', seriesInstanceUid: '1.2.5', seriesNumber: 4 });
  });

  it('null for files that are not DICOM', () => {
    expect(readDicomTags(new TextEncoder().encode('hello world, not a scan at all '.repeat(10)))).toBeNull();
    expect(readDicomTags(new Uint8Array(400))).toBeNull();
    expect(readDicomTags(new Uint8Array(10))).toBeNull();
  });

  it('a deflated file still reports its transfer syntax; a truncated one keeps what was read', () => {
    expect(readDicomTags(slice({ SeriesNumber: 3 }, '1.2.840.10008.1.2.1.99'))).toMatchObject({ transferSyntaxUid: '1.2.840.10008.1.2.1.99', seriesNumber: null });
    const full = slice({ SeriesDescription: 'flair', SeriesInstanceUID: '1.9' });
    const cut = readDicomTags(full.subarray(0, full.indexOf(0x66) + 3));
    expect(cut?.transferSyntaxUid).toBe('1.2.840.10008.1.2.1');
    expect(cut?.seriesInstanceUid).toBeNull();
  });
});
