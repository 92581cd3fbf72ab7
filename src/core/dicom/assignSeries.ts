import type { Modality } from '../modality/index.ts';
import type { SeriesDecision, SeriesInfo, SkipKind } from './types.ts';

/**
 * Assigns each converted series to T1 / T1Gd / T2 / FLAIR, or lists it as skipped, from
 * its sidecar fields, with the reason in one sentence. Order matters and follows how sure
 * each clue is: what the series is not (another modality, another body part, a localiser,
 * diffusion, a derived image, a time series) before what it is; within a role, the names
 * the technologist gave (SeriesDescription, ProtocolName, SequenceName) before the timing
 * physics (TR/TE/TI), which only decide when the names say nothing. Contrast is read
 * from ContrastBolusAgent first, then from the names. Two series may end up with one role:
 * the assignment table then asks the user to pick (checkRoles' duplicate-role message).
 */
export function assignSeries(series: SeriesInfo[]): SeriesDecision[] {
  return series.map(decide);
}

/** Lower-case words of the series' names, e.g. "T2_FLAIR-tra" → "t2 flair tra". */
function nameWords(s: SeriesInfo): string {
  return [s.seriesDescription, s.protocolName, s.sequenceName]
    .filter((x): x is string => Boolean(x))
    .join(' ')
    .toLowerCase()
    .replace(/[^a-z0-9+*]+/g, ' ')
    .trim();
}

function quoted(s: SeriesInfo): string {
  return `'${s.seriesDescription ?? s.protocolName ?? s.id}'`;
}

const HEAD_PARTS = /head|brain|skull|cerebr|neuro|cranium/i;
const LOCALISER = /\b(locali[sz]er|loc|scout|survey|pilot|tri ?pilot|3 ?plane|aahead scout|aa ?scout|planning)\b/;
const DIFFUSION = /\b(dwi|dti|diff|diffusion|adc|trace|tracew|fa|colfa|tensor|ep2d diff|resolve|b\d{3,4})\b/;
const TIME_SERIES = /\b(bold|fmri|rest|resting|task|perf|perfusion|dsc|dce|asl|pcasl|pasl|cbf|rcbv|twist)\b/;
const OTHER_CONTRAST: [RegExp, string][] = [
  [/\b(swi|swan|susceptibility|venobold|mag images|pha images)\b/, 'susceptibility-weighted'],
  [/\b(tof|mra|angio|pc ?mra|venogram)\b/, 'angiography'],
  [/\b(t2\*|t2star|t2 star|hemo|gre t2|medic|merge)\b/, 'T2*-weighted'],
  [/\b(field ?map|fieldmap|b0map|b1map|gre field)\b/, 'a field map'],
  [/\b(pd|pdw|proton density)\b/, 'proton-density'],
  [/\b(spectro|svs|csi|mrs)\b/, 'spectroscopy'],
];
const DERIVED_IMAGE_TYPES = /^(DERIVED|SECONDARY)$/;
const FLAIR = /\b(flair|t2 ?flair|t2f|tirm|dark ?fluid|fluid|darkfluid)\b/;
const T1_FLAIR = /\bt1 ?flair\b/;
const T2 = /\b(t2|t2w|t2 tse|tse t2|t2 space|space t2|cube t2|t2 frfse|t2 blade|blade t2|t2 propeller)\b/;
const T1 = /\b(t1|t1w|t1n|mprage|mp ?rage|mp2rage|bravo|spgr|fspgr|tfl3d|tfl|tfe|thrive|vibe|flash|fl3d|t1 se|se t1|t1c|t1ce|t1gd|t1post|t1pre)\b/;
const POST_CONTRAST = /(\bpost\b|\+ ?c\b|\+ ?gd\b|\bgd\b|\bgad|contrast|\bce\b|\bt1c\b|\bt1ce\b|\bt1gd\b|\bt1post\b|\bc\+|\benhanc|\bkm\b|\bmdc\b)/;
const PRE_CONTRAST = /\b(pre|native|nativ|t1pre|t1n|without|w o|wo)\b/;
const NO_AGENT = /^(none|no|n|nil|0|-)$/i;

function skip(s: SeriesInfo, kind: SkipKind, reason: string): SeriesDecision {
  return { seriesId: s.id, role: null, skip: kind, reason };
}

function role(s: SeriesInfo, r: Modality, reason: string): SeriesDecision {
  return { seriesId: s.id, role: r, skip: null, reason };
}

function ms(v: number | null): string {
  return v === null ? '?' : `${Math.round(v * 10) / 10} ms`;
}

function decide(s: SeriesInfo): SeriesDecision {
  const words = nameWords(s);
  const upperTypes = s.imageType.map((t) => t.toUpperCase());

  if (s.modality && s.modality.toUpperCase() !== 'MR') return skip(s, 'not-mr', `${s.modality} images, not MRI`);
  if (s.bodyPart && !HEAD_PARTS.test(s.bodyPart)) return skip(s, 'not-brain', `BodyPartExamined is ${s.bodyPart}, not the head: Attune segments brain MRI only`);

  const sliceCount = Math.min(...s.dims.slice(0, 3));
  if (upperTypes.includes('LOCALIZER') || LOCALISER.test(words)) {
    return skip(s, 'localiser', `a localiser (${upperTypes.includes('LOCALIZER') ? 'ImageType LOCALIZER' : `named ${quoted(s)}`}), used to plan the scan`);
  }
  if (sliceCount < 2) return skip(s, 'localiser', `a single slice (${s.dims.slice(0, 3).join('×')}), not a volume`);

  const diffusionB = s.bValues?.some((b) => b > 0) ?? false;
  if (diffusionB || upperTypes.some((t) => /^(DIFFUSION|ADC|TRACEW|FA|EADC)$/.test(t)) || DIFFUSION.test(words)) {
    const why = diffusionB ? `b-values up to ${Math.max(...s.bValues!)} s/mm²` : upperTypes.some((t) => /ADC|TRACEW|FA|DIFFUSION/.test(t)) ? `ImageType ${s.imageType.join('\\')}` : `named ${quoted(s)}`;
    return skip(s, 'diffusion', `diffusion-weighted (${why})`);
  }

  if (upperTypes.length > 0 && DERIVED_IMAGE_TYPES.test(upperTypes[0])) {
    return skip(s, 'derived', `a derived image (ImageType ${s.imageType.join('\\')}): a reformat or map computed from another series, not the acquired scan`);
  }

  const volumes = s.dims[3] ?? 1;
  if (volumes > 1) return skip(s, 'time-series', `${volumes} volumes over time (${s.scanningSequence === 'EP' ? 'EPI, ' : ''}functional or perfusion), not one structural volume`);
  if (TIME_SERIES.test(words)) return skip(s, 'time-series', `named ${quoted(s)}: a functional or perfusion series, not a structural scan`);

  for (const [pattern, what] of OTHER_CONTRAST) {
    if (pattern.test(words)) return skip(s, 'other-contrast', `${what} (named ${quoted(s)}), not one of T1, T1Gd, T2, FLAIR`);
  }

  const agent = s.contrastAgent && !NO_AGENT.test(s.contrastAgent.trim()) ? s.contrastAgent.trim() : null;
  const t1Role = (how: string): SeriesDecision => {
    if (agent) return role(s, 't1ce', `${how}, with contrast agent (ContrastBolusAgent '${agent}')`);
    if (POST_CONTRAST.test(words) && !PRE_CONTRAST.test(words)) return role(s, 't1ce', `${how}, after contrast (named ${quoted(s)})`);
    return role(s, 't1', `${how}, no contrast agent recorded`);
  };

  // Names first: T1-FLAIR is T1-weighted, so it is tested before FLAIR.
  if (T1_FLAIR.test(words)) return t1Role(`T1-weighted FLAIR (named ${quoted(s)})`);
  if (FLAIR.test(words)) return role(s, 'flair', `FLAIR (named ${quoted(s)})`);
  if (T2.test(words)) return role(s, 't2', `T2-weighted (named ${quoted(s)})`);
  if (T1.test(words)) return t1Role(`T1-weighted (named ${quoted(s)})`);

  // The names said nothing: the timing decides (long TE = T2 weighting; long TI with it = fluid suppressed).
  const { repetitionTimeMs: tr, echoTimeMs: te, inversionTimeMs: ti } = s;
  const timing = `TR ${ms(tr)}, TE ${ms(te)}${ti ? `, TI ${ms(ti)}` : ''}`;
  if (te !== null && te >= 60 && ti !== null && ti >= 1500) return role(s, 'flair', `inversion recovery with long TE (${timing}): fluid-suppressed T2`);
  if (te !== null && te >= 60 && tr !== null && tr >= 1500) return role(s, 't2', `long TE and TR (${timing}): T2-weighted`);
  if (te !== null && te <= 30 && tr !== null && (tr <= 1000 || (ti !== null && ti >= 300 && ti <= 1400))) {
    return t1Role(`short TE and ${tr <= 1000 ? 'TR' : 'an inversion time'} (${timing}): T1-weighted`);
  }
  return { seriesId: s.id, role: null, skip: null, reason: `not recognised from its name ${quoted(s)} or timing (${timing}): assign it by hand if it is one of the four` };
}
