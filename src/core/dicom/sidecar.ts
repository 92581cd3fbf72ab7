/**
 * The fields of dcm2niix's BIDS sidecar that series assignment reads, with BIDS units
 * (seconds) turned into milliseconds. A missing, malformed or odd-typed field is null,
 * never a guess: the assignment then falls back to other clues and says so.
 */
export interface SidecarFields {
  seriesNumber: number | null;
  seriesDescription: string | null;
  protocolName: string | null;
  sequenceName: string | null;
  scanningSequence: string | null;
  modality: string | null;
  imageType: string[];
  acquisition: '2D' | '3D' | null;
  repetitionTimeMs: number | null;
  echoTimeMs: number | null;
  inversionTimeMs: number | null;
  bodyPart: string | null;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('\\');
  return null;
}

/** Seconds → ms; a multi-echo series reports an array: its first echo. */
function millis(v: unknown): number | null {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'number' && Number.isFinite(first) ? Math.round(first * 1e6) / 1e3 : null;
}

export function parseSidecar(json: string): SidecarFields {
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // No sidecar (or a broken one): every field stays null.
  }
  const acquisition = raw.MRAcquisitionType === '2D' || raw.MRAcquisitionType === '3D' ? raw.MRAcquisitionType : null;
  return {
    seriesNumber: typeof raw.SeriesNumber === 'number' ? raw.SeriesNumber : null,
    seriesDescription: text(raw.SeriesDescription),
    protocolName: text(raw.ProtocolName),
    sequenceName: text(raw.SequenceName) ?? text(raw.PulseSequenceName),
    scanningSequence: text(raw.ScanningSequence),
    modality: text(raw.Modality),
    imageType: Array.isArray(raw.ImageType) ? raw.ImageType.filter((t): t is string => typeof t === 'string') : [],
    acquisition,
    repetitionTimeMs: millis(raw.RepetitionTime),
    echoTimeMs: millis(raw.EchoTime),
    inversionTimeMs: millis(raw.InversionTime),
    bodyPart: text(raw.BodyPart) ?? text(raw.BodyPartExamined),
  };
}
