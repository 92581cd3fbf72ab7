import * as nifti from 'nifti-reader-js';
import type { InputIssue } from '../inputIssue.ts';
import { assignSeries } from './assignSeries.ts';
import { readDicomTags, type DicomFileTags } from './readDicomTags.ts';
import { parseSidecar } from './sidecar.ts';
import { isReadableTransferSyntax, transferSyntaxName } from './transferSyntax.ts';
import type { ConvertedSeries, DicomConverter, DicomStudy, NamedBytes, SeriesInfo, SkipKind } from './types.ts';

/** Names in a message: the first few, then how many more. */
function listNames(names: string[], max = 4): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function seriesKey(tags: DicomFileTags): string | null {
  return tags.seriesInstanceUid ? `${tags.seriesNumber ?? ''}_${tags.seriesInstanceUid}` : null;
}

function seriesLabel(tags: DicomFileTags): string {
  const n = tags.seriesNumber === null ? '' : `series ${tags.seriesNumber}`;
  const d = tags.seriesDescription ? ` '${tags.seriesDescription}'` : '';
  return n || d ? `${n}${d}`.trim() : 'a series without number';
}

/** Hidden files and folder metadata a file manager leaves in a DICOM folder: not worth a message. */
const IGNORED = /(^|\/)(\.[^/]*|Thumbs\.db|desktop\.ini)$/i;

/**
 * A dropped DICOM study → its series as NIfTI with their sidecars and role decisions.
 * Files are screened first (not DICOM, a transfer syntax the wasm build cannot decode):
 * those are left out with a message and never reach dcm2niix. The given bytes are only
 * read; nothing is changed.
 */
export async function convertDicomStudy(files: NamedBytes[], converter: DicomConverter): Promise<DicomStudy> {
  const issues: InputIssue[] = [];
  const notDicom: string[] = [];
  const refused = new Map<string, { files: string[]; series: Set<string> }>();
  const readable: NamedBytes[] = [];
  const tagsBySeries = new Map<string, DicomFileTags>();

  for (const f of files) {
    if (IGNORED.test(f.name)) continue;
    const tags = readDicomTags(f.bytes);
    if (!tags) {
      notDicom.push(f.name);
      continue;
    }
    if (!isReadableTransferSyntax(tags.transferSyntaxUid)) {
      const uid = tags.transferSyntaxUid!;
      const entry = refused.get(uid) ?? { files: [], series: new Set<string>() };
      entry.files.push(f.name);
      entry.series.add(seriesLabel(tags));
      refused.set(uid, entry);
      continue;
    }
    readable.push(f);
    const key = seriesKey(tags);
    if (key && !tagsBySeries.has(key)) tagsBySeries.set(key, tags);
  }

  if (notDicom.length > 0) {
    issues.push({
      code: 'not-dicom',
      severity: readable.length > 0 ? 'warning' : 'error',
      files: notDicom,
      message: readable.length > 0
        ? `${notDicom.length} file(s) are not DICOM and were left out: ${listNames(notDicom)}. The DICOM files beside them were converted.`
        : `None of the ${notDicom.length} file(s) is DICOM (${listNames(notDicom)}). Give a folder of DICOM files from the scanner, or .nii/.nii.gz volumes.`,
    });
  }
  for (const [uid, { files: names, series }] of refused) {
    issues.push({
      code: 'dicom-compressed',
      severity: 'error',
      files: names,
      message:
        `${names.length} DICOM file(s) of ${listNames([...series])} are compressed as ${transferSyntaxName(uid)} (transfer syntax ${uid}), ` +
        'which dcm2niix cannot decode here; they were not converted. Decompress them first (e.g. `gdcmconv --raw` or `dcmconv +te`) and drop them again.',
    });
  }
  if (readable.length === 0) return { series: [], issues, dicomFiles: 0, log: [] };

  const output = await converter.convert(readable);
  const series = collectSeries(output.files, tagsBySeries);
  // dcm2niix's own complaints (e.g. a 12/16-bit baseline JPEG it cannot decode), once each.
  const errors = [...new Set(output.log.filter((l) => /^E: |Unsupported transfer syntax/.test(l)).map((l) => l.replace(/^E: /, '').trim()))];
  if (series.length > 0 && errors.length > 0) {
    issues.push({
      code: 'dicom-conversion-errors',
      severity: 'warning',
      files: [],
      message: `dcm2niix converted ${series.length} series but reported problems with other files (${listNames(errors, 2)}); a series that is missing below was among them.`,
    });
  }
  if (series.length === 0) {
    issues.push({
      code: 'dicom-no-series',
      severity: 'error',
      files: [],
      message: `dcm2niix found no image series it could convert in the ${readable.length} DICOM file(s)${errors.length ? ` (${listNames(errors, 2)})` : ''}. They may hold reports, presentation states or incomplete series.`,
    });
  }
  issues.push(...studyIssues(series));
  return { series, issues, dicomFiles: readable.length, log: output.log };
}

/** Problems of the study as a whole once its series are known (the per-role checks are checkRoles'). */
function studyIssues(series: ConvertedSeries[]): InputIssue[] {
  if (series.length === 0) return [];
  const usable = series.filter((s) => s.decision.skip === null);
  if (usable.length > 0) return [];
  const names = series.map((s) => s.niftiName);
  const kinds = new Set(series.map((s) => s.decision.skip));
  if (kinds.size === 1 && kinds.has('localiser')) {
    return [{
      code: 'dicom-localiser-only',
      severity: 'error',
      files: names,
      message: `Only localiser (scout) images were found (${listNames(names)}): they position the scan and cannot be segmented. Add the study's T1, T1Gd, T2 and FLAIR series.`,
    }];
  }
  if (kinds.size === 1 && kinds.has('not-brain')) {
    const parts = [...new Set(series.map((s) => s.info.bodyPart))].join(', ');
    return [{
      code: 'dicom-not-brain',
      severity: 'error',
      files: names,
      message: `These DICOM series are not of the head (BodyPartExamined: ${parts}): Attune segments brain tumours in brain MRI only.`,
    }];
  }
  const counts = new Map<string, number>();
  for (const s of series) counts.set(SKIP_WORDS[s.decision.skip!], (counts.get(SKIP_WORDS[s.decision.skip!]) ?? 0) + 1);
  return [{
    code: 'dicom-no-structural',
    severity: 'error',
    files: names,
    message:
      `None of the ${series.length} series is a T1, T1Gd, T2 or FLAIR scan (${[...counts].map(([w, n]) => `${n} ${w}`).join(', ')}; each is listed with its reason). ` +
      'Attune needs those four; add the study\'s structural series.',
  }];
}

/** How the no-structural message counts skipped series. */
const SKIP_WORDS: Record<SkipKind, string> = {
  'not-mr': 'not MRI',
  'not-brain': 'not of the head',
  localiser: 'localiser',
  diffusion: 'diffusion',
  derived: 'derived',
  'time-series': 'time series',
  'other-contrast': 'other contrast',
};

const EXTENSIONS = /\.(nii|json|bval|bvec)$/i;

/** dcm2niix's output files grouped per series (one .nii each), with facts and decisions. */
function collectSeries(outputs: NamedBytes[], tagsBySeries: Map<string, DicomFileTags>): ConvertedSeries[] {
  const groups = new Map<string, NamedBytes[]>();
  for (const f of outputs) {
    const base = f.name.replace(EXTENSIONS, '');
    groups.set(base, [...(groups.get(base) ?? []), f]);
  }
  const keys = [...tagsBySeries.keys()].sort((a, b) => b.length - a.length);
  const infos: { info: SeriesInfo; nifti: Uint8Array; sidecar: string; extras: NamedBytes[]; name: string }[] = [];
  for (const [base, group] of groups) {
    const image = group.find((f) => /\.nii$/i.test(f.name));
    if (!image) continue;
    const sidecarText = new TextDecoder().decode(group.find((f) => /\.json$/i.test(f.name))?.bytes ?? new Uint8Array());
    const extras = group.filter((f) => /\.(bval|bvec)$/i.test(f.name));
    // The longest series key the name starts with: dcm2niix appends _e2, _ph, _i00002 … to split series.
    const key = keys.find((k) => base.startsWith(k)) ?? null;
    const tags = key ? tagsBySeries.get(key)! : null;
    const bval = extras.find((f) => /\.bval$/i.test(f.name));
    const info = seriesInfo(base, image.bytes, sidecarText, tags, bval ? new TextDecoder().decode(bval.bytes) : null);
    const suffix = key ? base.slice(key.length) : '';
    infos.push({ info, nifti: image.bytes, sidecar: sidecarText, extras, name: readableName(info, suffix) });
  }
  infos.sort((a, b) => (a.info.seriesNumber ?? Infinity) - (b.info.seriesNumber ?? Infinity) || a.info.id.localeCompare(b.info.id));
  const decisions = assignSeries(infos.map((i) => i.info));
  const used = new Set<string>();
  return infos.map((i, n) => {
    let niftiName = `${i.name}.nii`;
    for (let k = 2; used.has(niftiName); k++) niftiName = `${i.name}-${k}.nii`;
    used.add(niftiName);
    return { info: i.info, decision: decisions[n], niftiName, nifti: i.nifti, sidecar: i.sidecar, extras: i.extras };
  });
}

function readableName(info: SeriesInfo, suffix: string): string {
  const description = (info.seriesDescription ?? info.protocolName ?? 'series').replace(/[^A-Za-z0-9+-]+/g, '_').replace(/^_+|_+$/g, '');
  return `${info.seriesNumber ?? 'x'}_${description || 'series'}${suffix.replace(/[^A-Za-z0-9_+-]+/g, '_')}`;
}

function seriesInfo(id: string, image: Uint8Array, sidecarText: string, tags: DicomFileTags | null, bval: string | null): SeriesInfo {
  const sidecar = parseSidecar(sidecarText);
  const buffer = image.slice().buffer as ArrayBuffer;
  let dims = [0, 0, 0];
  let spacingMm: [number, number, number] = [0, 0, 0];
  if (nifti.isNIFTI(buffer)) {
    const header = nifti.readHeader(buffer);
    const nd = Math.max(3, Math.min(header.dims[0], 4));
    dims = header.dims.slice(1, 1 + nd);
    if (dims.length === 4 && dims[3] <= 1) dims = dims.slice(0, 3);
    spacingMm = [1, 2, 3].map((d) => Math.abs(header.pixDims[d])) as [number, number, number];
  }
  const bValues = bval ? bval.trim().split(/\s+/).map(Number).filter(Number.isFinite) : null;
  return {
    id,
    seriesNumber: sidecar.seriesNumber ?? tags?.seriesNumber ?? null,
    seriesDescription: sidecar.seriesDescription ?? tags?.seriesDescription ?? null,
    protocolName: sidecar.protocolName,
    sequenceName: sidecar.sequenceName,
    scanningSequence: sidecar.scanningSequence,
    modality: sidecar.modality ?? tags?.modality ?? null,
    imageType: sidecar.imageType,
    acquisition: sidecar.acquisition,
    repetitionTimeMs: sidecar.repetitionTimeMs,
    echoTimeMs: sidecar.echoTimeMs,
    inversionTimeMs: sidecar.inversionTimeMs,
    contrastAgent: tags?.contrastBolusAgent ?? null,
    bodyPart: sidecar.bodyPart ?? tags?.bodyPartExamined ?? null,
    dims,
    spacingMm,
    bValues: bValues && bValues.length > 0 ? bValues : null,
  };
}
