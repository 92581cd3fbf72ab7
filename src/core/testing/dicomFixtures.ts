/**
 * Small, valid DICOM Part-10 files for tests: one MR slice per file, explicit VR little
 * endian (or another transfer syntax UID written on purpose), with exactly the tags a test
 * sets. dcm2niix converts a stack of them like a scanner's series, so series assignment
 * and the bad-input paths can be tested end to end without shipping patient data.
 */

export interface DicomSliceSpec {
  /** Tag values by keyword (see TAGS); numbers and arrays become DICOM strings. */
  tags: Partial<Record<keyof typeof TAGS, string | number | number[] | string[]>>;
  rows: number;
  columns: number;
  /** rows × columns signed 16-bit pixels, row-major. */
  pixels: Int16Array;
  /** Written in the file meta header; the pixels stay uncompressed whatever it says. */
  transferSyntaxUid?: string;
}

/** keyword → [group, element, VR] of every tag the fixtures can write. */
export const TAGS = {
  ImageType: [0x0008, 0x0008, 'CS'],
  SOPClassUID: [0x0008, 0x0016, 'UI'],
  SOPInstanceUID: [0x0008, 0x0018, 'UI'],
  StudyDate: [0x0008, 0x0020, 'DA'],
  SeriesDate: [0x0008, 0x0021, 'DA'],
  AcquisitionTime: [0x0008, 0x0032, 'TM'],
  StudyTime: [0x0008, 0x0030, 'TM'],
  Modality: [0x0008, 0x0060, 'CS'],
  Manufacturer: [0x0008, 0x0070, 'LO'],
  SeriesDescription: [0x0008, 0x103e, 'LO'],
  PatientName: [0x0010, 0x0010, 'PN'],
  PatientID: [0x0010, 0x0020, 'LO'],
  ContrastBolusAgent: [0x0018, 0x0010, 'LO'],
  BodyPartExamined: [0x0018, 0x0015, 'CS'],
  ScanningSequence: [0x0018, 0x0020, 'CS'],
  SequenceVariant: [0x0018, 0x0021, 'CS'],
  MRAcquisitionType: [0x0018, 0x0023, 'CS'],
  SequenceName: [0x0018, 0x0024, 'SH'],
  SliceThickness: [0x0018, 0x0050, 'DS'],
  RepetitionTime: [0x0018, 0x0080, 'DS'],
  EchoTime: [0x0018, 0x0081, 'DS'],
  InversionTime: [0x0018, 0x0082, 'DS'],
  MagneticFieldStrength: [0x0018, 0x0087, 'DS'],
  SpacingBetweenSlices: [0x0018, 0x0088, 'DS'],
  ProtocolName: [0x0018, 0x1030, 'LO'],
  FlipAngle: [0x0018, 0x1314, 'DS'],
  PatientPosition: [0x0018, 0x5100, 'CS'],
  StudyInstanceUID: [0x0020, 0x000d, 'UI'],
  SeriesInstanceUID: [0x0020, 0x000e, 'UI'],
  SeriesNumber: [0x0020, 0x0011, 'IS'],
  AcquisitionNumber: [0x0020, 0x0012, 'IS'],
  InstanceNumber: [0x0020, 0x0013, 'IS'],
  ImagePositionPatient: [0x0020, 0x0032, 'DS'],
  ImageOrientationPatient: [0x0020, 0x0037, 'DS'],
  FrameOfReferenceUID: [0x0020, 0x0052, 'UI'],
  SliceLocation: [0x0020, 0x1041, 'DS'],
  SamplesPerPixel: [0x0028, 0x0002, 'US'],
  PhotometricInterpretation: [0x0028, 0x0004, 'CS'],
  Rows: [0x0028, 0x0010, 'US'],
  Columns: [0x0028, 0x0011, 'US'],
  PixelSpacing: [0x0028, 0x0030, 'DS'],
  BitsAllocated: [0x0028, 0x0100, 'US'],
  BitsStored: [0x0028, 0x0101, 'US'],
  HighBit: [0x0028, 0x0102, 'US'],
  PixelRepresentation: [0x0028, 0x0103, 'US'],
} as const;

const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
const LONG_LENGTH_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

class ByteWriter {
  private chunks: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  element(group: number, element: number, vr: string, value: Uint8Array) {
    const long = LONG_LENGTH_VRS.has(vr);
    const head = new DataView(new ArrayBuffer(long ? 12 : 8));
    head.setUint16(0, group, true);
    head.setUint16(2, element, true);
    head.setUint8(4, vr.charCodeAt(0));
    head.setUint8(5, vr.charCodeAt(1));
    if (long) head.setUint32(8, value.length, true);
    else head.setUint16(6, value.length, true);
    this.push(new Uint8Array(head.buffer));
    this.push(value);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** A DICOM string value, padded to even length (UIDs with NUL, text with a space). */
function textValue(vr: string, value: string): Uint8Array {
  const padded = value.length % 2 === 0 ? value : value + (vr === 'UI' ? '\0' : ' ');
  return new TextEncoder().encode(padded);
}

function encodeValue(vr: string, value: string | number | number[] | string[]): Uint8Array {
  if (vr === 'US') {
    const out = new Uint8Array(2);
    new DataView(out.buffer).setUint16(0, Number(value), true);
    return out;
  }
  // A decimal string (DS) holds at most 16 characters: 10 significant digits fit.
  const str = (v: string | number) => (vr === 'DS' && typeof v === 'number' ? String(Number(v.toPrecision(10))) : String(v));
  const text = Array.isArray(value) ? (value as (string | number)[]).map(str).join('\\') : str(value);
  return textValue(vr, text);
}

/** One DICOM file holding one slice. */
export function writeDicomSlice(spec: DicomSliceSpec): Uint8Array {
  const { rows, columns, pixels } = spec;
  if (pixels.length !== rows * columns) throw new Error(`pixels: expected ${rows * columns}, got ${pixels.length}`);
  const tags: DicomSliceSpec['tags'] = {
    SOPClassUID: MR_IMAGE_STORAGE,
    Modality: 'MR',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    ...spec.tags,
  };

  const meta = new ByteWriter();
  meta.element(0x0002, 0x0001, 'OB', new Uint8Array([0, 1]));
  meta.element(0x0002, 0x0002, 'UI', textValue('UI', String(tags.SOPClassUID)));
  meta.element(0x0002, 0x0003, 'UI', textValue('UI', String(tags.SOPInstanceUID ?? '1.2.3.4')));
  meta.element(0x0002, 0x0010, 'UI', textValue('UI', spec.transferSyntaxUid ?? EXPLICIT_VR_LE));
  meta.element(0x0002, 0x0012, 'UI', textValue('UI', '1.2.826.0.1.3680043.10.1.1'));
  const metaBytes = meta.bytes();

  const data = new ByteWriter();
  const ordered = (Object.keys(tags) as (keyof typeof TAGS)[])
    .map((k) => ({ key: k, def: TAGS[k] }))
    .sort((a, b) => a.def[0] - b.def[0] || a.def[1] - b.def[1]);
  for (const { key, def } of ordered) data.element(def[0], def[1], def[2], encodeValue(def[2], tags[key]!));
  const pixelBytes = new Uint8Array(pixels.length * 2);
  const view = new DataView(pixelBytes.buffer);
  pixels.forEach((v, n) => view.setInt16(2 * n, v, true));
  data.element(0x7fe0, 0x0010, 'OW', pixelBytes);

  const file = new ByteWriter();
  file.push(new Uint8Array(128));
  file.push(new TextEncoder().encode('DICM'));
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, metaBytes.length, true);
  file.element(0x0002, 0x0000, 'UL', groupLength);
  file.push(metaBytes);
  file.push(data.bytes());
  return file.bytes();
}

export interface SeriesSpec {
  seriesNumber: number;
  description: string;
  /** Extra tags for every slice (TR/TE/TI, contrast, ImageType …). */
  tags?: DicomSliceSpec['tags'];
  /** Voxels [columns, rows, slices]; default 16×16×8. */
  dims?: [number, number, number];
  /** Millimetres [column spacing, row spacing, slice spacing]; default 1 mm. */
  spacing?: [number, number, number];
  /** Row and column direction cosines (DICOM's LPS patient axes); default axial. */
  orientation?: [number, number, number, number, number, number];
  /**
   * ImagePositionPatient of the first slice (LPS mm); the others follow along the slice
   * normal (row × column direction) every `spacing[2]` mm. Default: the series centred in x, y.
   */
  origin?: [number, number, number];
  /** The voxels (columns × rows × slices, column fastest); default a pattern per series, slice and voxel. */
  voxels?: Int16Array;
  transferSyntaxUid?: string;
}

/** A series' geometry as DICOM writes it: what `writeDicomSeries` needs to put a grid's voxels where the grid has them. */
export type DicomGeometry = Required<Pick<SeriesSpec, 'dims' | 'spacing' | 'orientation' | 'origin'>>;

/**
 * The DICOM geometry of a NIfTI-style grid (voxel (i, j, k) → RAS mm by `affine`), with
 * i along a row (columns), j down the columns (rows), k across slices. DICOM's patient axes
 * are LPS, so x and y change sign. DICOM stacks slices along row × column direction, so a
 * grid whose k axis points the other way (a left-handed voxel frame) is refused: store it with
 * k flipped first.
 */
export function dicomGeometryOfGrid(dims: [number, number, number], affine: readonly (readonly number[])[]): DicomGeometry {
  const lps = (v: number[]) => [-v[0], -v[1], v[2]];
  const column = (c: number) => lps([affine[0][c], affine[1][c], affine[2][c]]);
  const norm = (v: number[]) => Math.hypot(...v);
  const [u, v, w] = [column(0), column(1), column(2)];
  const spacing = [norm(u), norm(v), norm(w)] as [number, number, number];
  const [ru, rv] = [u.map((x) => x / spacing[0]), v.map((x) => x / spacing[1])];
  const normal = [ru[1] * rv[2] - ru[2] * rv[1], ru[2] * rv[0] - ru[0] * rv[2], ru[0] * rv[1] - ru[1] * rv[0]];
  const along = w.reduce((s, x, n) => s + (x / spacing[2]) * normal[n], 0);
  if (Math.abs(ru[0] * rv[0] + ru[1] * rv[1] + ru[2] * rv[2]) > 1e-6) throw new Error('dicomGeometryOfGrid: the i and j axes are not orthogonal');
  if (along < 1 - 1e-6) throw new Error(`dicomGeometryOfGrid: the k axis is not along row × column (cosine ${along.toFixed(4)}); flip k first`);
  return {
    dims: [...dims],
    spacing,
    orientation: [...ru, ...rv] as DicomGeometry['orientation'],
    origin: lps([affine[0][3], affine[1][3], affine[2][3]]) as [number, number, number],
  };
}

/**
 * A whole series as DICOM files named `<series>/<instance>.dcm`. The pixels are a simple,
 * deterministic pattern that differs per series, slice and voxel, so a conversion that
 * mixed or reordered slices is visible.
 */
export function writeDicomSeries(spec: SeriesSpec, studyUid = '1.2.826.0.1.3680043.10.9.1'): { name: string; bytes: Uint8Array }[] {
  const [cols, rows, slices] = spec.dims ?? [16, 16, 8];
  const [dx, dy, dz] = spec.spacing ?? [1, 1, 1];
  const iop = spec.orientation ?? [1, 0, 0, 0, 1, 0];
  const normal = [iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]];
  const origin = spec.origin ?? [-cols * dx / 2, -rows * dy / 2, 0];
  if (spec.voxels && spec.voxels.length !== cols * rows * slices) throw new Error(`voxels: expected ${cols * rows * slices}, got ${spec.voxels.length}`);
  const seriesUid = `${studyUid}.${spec.seriesNumber}`;
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (let k = 0; k < slices; k++) {
    const pixels = spec.voxels ? spec.voxels.slice(k * rows * cols, (k + 1) * rows * cols) : new Int16Array(rows * cols);
    if (!spec.voxels) for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) pixels[j * cols + i] = 100 * spec.seriesNumber + 10 * k + ((i + 2 * j) % 10);
    const position = origin.map((o, a) => o + normal[a] * k * dz);
    const bytes = writeDicomSlice({
      rows,
      columns: cols,
      pixels,
      transferSyntaxUid: spec.transferSyntaxUid,
      tags: {
        SOPInstanceUID: `${seriesUid}.${k + 1}`,
        StudyInstanceUID: studyUid,
        SeriesInstanceUID: seriesUid,
        FrameOfReferenceUID: `${studyUid}.0`,
        StudyDate: '20240101',
        StudyTime: '120000',
        AcquisitionTime: `12${String(spec.seriesNumber).padStart(2, '0')}00`,
        Manufacturer: 'SIEMENS',
        PatientName: 'Phantom',
        PatientID: 'PHANTOM',
        PatientPosition: 'HFS',
        SeriesNumber: spec.seriesNumber,
        AcquisitionNumber: 1,
        InstanceNumber: k + 1,
        SeriesDescription: spec.description,
        ProtocolName: spec.description,
        ImageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
        MagneticFieldStrength: 3,
        SliceThickness: dz,
        PixelSpacing: [dy, dx],
        ImagePositionPatient: position,
        ImageOrientationPatient: iop,
        SliceLocation: k * dz,
        ...spec.tags,
      },
    });
    files.push({ name: `s${spec.seriesNumber}/${String(k + 1).padStart(4, '0')}.dcm`, bytes });
  }
  return files;
}
