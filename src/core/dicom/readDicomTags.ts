/**
 * Reads the few header fields Attune needs from a DICOM file before (and beside) dcm2niix:
 * the transfer syntax (can the wasm build decode it?), the series it belongs to, and the
 * fields dcm2niix's JSON sidecar leaves out (ContrastBolusAgent, BodyPartExamined).
 * It walks the data set only up to group 0x0020 and never touches the pixel data.
 */

export interface DicomFileTags {
  /** (0002,0010); null for a file without a Part-10 meta header (implicit VR LE assumed). */
  transferSyntaxUid: string | null;
  sopClassUid: string | null;
  modality: string | null;
  seriesInstanceUid: string | null;
  seriesNumber: number | null;
  seriesDescription: string | null;
  contrastBolusAgent: string | null;
  bodyPartExamined: string | null;
}

const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';
const DEFLATED = '1.2.840.10008.1.2.1.99';
/** VRs with a 2-byte reserved field and a 32-bit length in explicit VR encoding. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
/** Past this group nothing we read can follow (elements are sorted by tag). */
const LAST_GROUP = 0x0020;

const WANTED: Record<string, keyof Omit<DicomFileTags, 'transferSyntaxUid'>> = {
  '0008,0016': 'sopClassUid',
  '0008,0060': 'modality',
  '0008,103e': 'seriesDescription',
  '0018,0010': 'contrastBolusAgent',
  '0018,0015': 'bodyPartExamined',
  '0020,000e': 'seriesInstanceUid',
  '0020,0011': 'seriesNumber',
};

/** True for a DICOM Part-10 file ("DICM" after the 128-byte preamble). */
export function hasDicomPreamble(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * A DICOM file without the Part-10 preamble (old ACR-NEMA style, which dcm2niix also reads):
 * it starts with an implicit-VR group-0x0008 element of sane length.
 */
function looksLikeBareDicom(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = v.getUint16(0, true);
  const length = v.getUint32(4, true);
  return group === 0x0008 && length > 0 && length < 1024 && length % 2 === 0;
}

export function isDicomFile(bytes: Uint8Array): boolean {
  return hasDicomPreamble(bytes) || looksLikeBareDicom(bytes);
}

class Cursor {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, public at: number, public little: boolean, public explicit: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get done() {
    return this.at + 8 > this.bytes.length;
  }
  u16() {
    const v = this.view.getUint16(this.at, this.little);
    this.at += 2;
    return v;
  }
  u32() {
    const v = this.view.getUint32(this.at, this.little);
    this.at += 4;
    return v;
  }
  /** One element header: tag, VR (explicit only) and value length. */
  header(): { group: number; element: number; vr: string | null; length: number } {
    const group = this.u16();
    const element = this.u16();
    // Item and delimiter tags never carry a VR.
    if (group === 0xfffe) return { group, element, vr: null, length: this.u32() };
    if (!this.explicit) return { group, element, vr: null, length: this.u32() };
    const vr = String.fromCharCode(this.bytes[this.at], this.bytes[this.at + 1]);
    this.at += 2;
    if (LONG_VRS.has(vr)) {
      this.at += 2;
      return { group, element, vr, length: this.u32() };
    }
    return { group, element, vr, length: this.u16() };
  }
  text(length: number): string {
    const raw = new TextDecoder('latin1').decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return raw.replace(/[\0 ]+$/, '').trim();
  }
}

/** Skips an undefined-length sequence (or item) up to and including its delimiter. */
function skipUndefined(c: Cursor, endElement: number): void {
  while (!c.done) {
    const h = c.header();
    if (h.group === 0xfffe && h.element === endElement) return;
    if (h.length === UNDEFINED) skipUndefined(c, h.group === 0xfffe && h.element === 0xe000 ? 0xe00d : 0xe0dd);
    else c.at += h.length;
  }
}

/**
 * The fields above, or null when the bytes are not DICOM. A file whose data set cannot be
 * walked (deflated, truncated) still reports its transfer syntax, with the other fields null.
 */
export function readDicomTags(bytes: Uint8Array): DicomFileTags | null {
  if (!isDicomFile(bytes)) return null;
  const out: DicomFileTags = {
    transferSyntaxUid: null, sopClassUid: null, modality: null, seriesInstanceUid: null,
    seriesNumber: null, seriesDescription: null, contrastBolusAgent: null, bodyPartExamined: null,
  };
  let start = 0;
  if (hasDicomPreamble(bytes)) {
    // The file meta group is always explicit VR little endian.
    const meta = new Cursor(bytes, 132, true, true);
    try {
      while (!meta.done) {
        const mark = meta.at;
        const h = meta.header();
        if (h.group !== 0x0002) {
          meta.at = mark;
          break;
        }
        if (h.element === 0x0010) out.transferSyntaxUid = meta.text(h.length);
        else meta.at += h.length;
      }
    } catch {
      return out;
    }
    start = meta.at;
  }
  const syntax = out.transferSyntaxUid ?? IMPLICIT_VR_LE;
  if (syntax === DEFLATED) return out;
  const c = new Cursor(bytes, start, syntax !== EXPLICIT_VR_BE, syntax !== IMPLICIT_VR_LE);
  try {
    while (!c.done) {
      const h = c.header();
      if (h.group > LAST_GROUP) break;
      if (h.length === UNDEFINED) {
        skipUndefined(c, 0xe0dd);
        continue;
      }
      const key = `${h.group.toString(16).padStart(4, '0')},${h.element.toString(16).padStart(4, '0')}`;
      const field = WANTED[key];
      if (!field) {
        c.at += h.length;
        continue;
      }
      const value = c.text(h.length);
      if (field === 'seriesNumber') out.seriesNumber = value === '' || !Number.isFinite(Number(value)) ? null : Number(value);
      else out[field] = value === '' ? null : value;
    }
  } catch {
    // A truncated or odd header: keep what was read; dcm2niix has the last word on the pixels.
  }
  return out;
}
