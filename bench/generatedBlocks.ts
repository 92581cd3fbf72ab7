/**
 * Every generated block of BENCHMARKS.md, with the committed records it is rendered from and
 * how: the one list `bench/rebuildBenchmarks.ts` rewrites and `generatedBlocks.test.ts`
 * checks in CI. A block is the text between `<!-- NAME: begin … -->` and `<!-- NAME: end -->`;
 * a block whose NAME is not listed here is an error, so no table can claim to be generated
 * without a command that rebuilds it from files in the repository. Hand-written text and
 * historical logs carry no markers.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVALUATION_BEGIN, EVALUATION_END, EVALUATION_RUNS, renderEvaluation } from '../src/cli/evaluation/render.ts';
import { PRESET_RUNS } from '../src/cli/evaluation/presetChecks.ts';
import { spliceReport } from '../src/cli/report/sections.ts';
import { benchLogMarkdown, gpuMarkdown, parseBenchLog, parseTorchForwards, type GpuRecord } from './resultTables.ts';
import { chromiumRawStudyMarkdown, rawStudyMarkdown, readChromiumRawStudyRecords, readRawStudyRecords } from './rawStudyTable.ts';

/** The repository root: every path below is relative to it. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCHMARKS = 'BENCHMARKS.md';

export interface Rendered {
  /** The block's Markdown, without its markers. */
  markdown: string;
  /** Files rendered with it (figures), relative to the root. */
  files: { file: string; text: string }[];
}

export interface GeneratedBlock {
  /** NAME in the markers. */
  name: string;
  begin: string;
  end: string;
  /** The committed files it is rendered from (directories for record folders), relative to the root. */
  records: string[];
  render(): Promise<Rendered>;
}

const read = (file: string) => readFile(join(ROOT, file), 'utf8');
const beginMarker = (name: string, records: string) =>
  `<!-- ${name}: begin (generated from ${records} by npx tsx bench/rebuildBenchmarks.ts; do not edit by hand) -->`;

/** A block rendered from one `npm run bench` log. */
function benchLogBlock(file: string): GeneratedBlock {
  const name = `bench/results ${file.replace(/^bench\/results\//, '').replace(/\.log$/, '')}`;
  return {
    name,
    begin: beginMarker(name, file),
    end: `<!-- ${name}: end -->`,
    records: [file],
    render: async () => ({ markdown: benchLogMarkdown(parseBenchLog(await read(file), file), file), files: [] }),
  };
}

const H200_RUNS = [
  { label: 'run 1: before the kernel cuts', file: 'bench/results/2026-11-27-h200-dawn-node-before-kernel-cuts.json' },
  { label: 'run 2: after', file: 'bench/results/2026-11-27-h200-dawn-node.json' },
  { label: 'run 4: + fused inference', file: 'bench/results/2026-11-27-h200-dawn-node-fused.json' },
];
const H200_TORCH = 'bench/results/2026-11-27-h200-pytorch.txt';
const H200_NAME = 'bench/results 2026-11-27-h200';
const RAW_STUDY_RUNS = 'bench/runs/rawStudy/node';
const RAW_STUDY_NAME = 'bench/runs rawStudy';
const RAW_STUDY_CHROMIUM_RUNS = 'bench/runs/rawStudy';
const RAW_STUDY_CHROMIUM_NAME = 'bench/runs rawStudy chromium';

export const GENERATED_BLOCKS: GeneratedBlock[] = [
  benchLogBlock('bench/results/2026-11-27-npm-run-bench.log'),
  benchLogBlock('bench/results/2026-12-02-npm-run-bench-auto.log'),
  benchLogBlock('bench/results/2026-12-06-npm-run-bench.log'),
  benchLogBlock('bench/results/2026-12-06-npm-run-bench-auto-candidates.log'),
  {
    name: H200_NAME,
    begin: beginMarker(H200_NAME, 'bench/results/2026-11-27-h200-*'),
    end: `<!-- ${H200_NAME}: end -->`,
    records: [...H200_RUNS.map((r) => r.file), H200_TORCH],
    render: async () => {
      const columns = await Promise.all(H200_RUNS.map(async (r) => ({ ...r, record: JSON.parse(await read(r.file)) as GpuRecord })));
      return { markdown: gpuMarkdown(columns, { file: H200_TORCH, lines: parseTorchForwards(await read(H200_TORCH)) }), files: [] };
    },
  },
  {
    name: RAW_STUDY_NAME,
    begin: beginMarker(RAW_STUDY_NAME, RAW_STUDY_RUNS),
    end: `<!-- ${RAW_STUDY_NAME}: end -->`,
    records: [RAW_STUDY_RUNS],
    render: async () => ({ markdown: rawStudyMarkdown(await readRawStudyRecords(join(ROOT, RAW_STUDY_RUNS)), RAW_STUDY_RUNS), files: [] }),
  },
  {
    name: RAW_STUDY_CHROMIUM_NAME,
    begin: beginMarker(RAW_STUDY_CHROMIUM_NAME, `${RAW_STUDY_CHROMIUM_RUNS}/*chromium*.json`),
    end: `<!-- ${RAW_STUDY_CHROMIUM_NAME}: end -->`,
    records: [RAW_STUDY_CHROMIUM_RUNS],
    render: async () => ({ markdown: chromiumRawStudyMarkdown(await readChromiumRawStudyRecords(join(ROOT, RAW_STUDY_CHROMIUM_RUNS)), RAW_STUDY_CHROMIUM_RUNS), files: [] }),
  },
  {
    name: 'attune report evaluation',
    begin: EVALUATION_BEGIN,
    end: EVALUATION_END,
    records: [EVALUATION_RUNS, PRESET_RUNS, 'models/attune-brats-inst18/calibration.json'],
    render: async () => {
      // Record folders as absolute paths; the figure folder stays relative: the Markdown links to it.
      const out = await renderEvaluation(join(ROOT, EVALUATION_RUNS), join(ROOT, 'models/attune-brats-inst18/calibration.json'), 'bench/figures', join(ROOT, PRESET_RUNS));
      return { markdown: out.markdown, files: out.figures.map((f) => ({ file: f.file, text: f.svg })) };
    },
  },
];

/** NAME of every begin marker in a document (a line of its own), in order; a name twice is listed twice. */
export function blockNames(doc: string): string[] {
  return [...doc.matchAll(/^<!-- (.+?): begin\b/gm)].map((m) => m[1]);
}

/** A block's current text (without markers, trailing space trimmed), or null when its markers are absent. */
export function blockText(doc: string, block: Pick<GeneratedBlock, 'begin' | 'end'>): string | null {
  const a = doc.indexOf(block.begin);
  const b = doc.indexOf(block.end, a);
  return a >= 0 && b > a ? doc.slice(a + block.begin.length + 1, b).trimEnd() : null;
}

/** Replaces a block between its markers, or appends it (with its markers) the first time: the report's one splice. */
export function spliceBlock(doc: string, block: Pick<GeneratedBlock, 'begin' | 'end'>, markdown: string): string {
  return spliceReport(doc, markdown, block.begin, block.end);
}

function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((line, k) => line !== y[k]);
  const at = i < 0 ? x.length : i;
  return `line ${at + 1} of the block: in the document "${x[at] ?? '(end)'}", rendered "${y[at] ?? '(end)'}"`;
}

/**
 * What is wrong with a document's generated blocks, as sentences (empty = every block
 * rebuilds byte for byte): a block no command renders, a listed block missing or doubled,
 * a record not in the repository, text or a figure that differs from what the records render.
 */
export async function checkBlocks(doc: string, blocks: readonly GeneratedBlock[] = GENERATED_BLOCKS): Promise<string[]> {
  const problems: string[] = [];
  const names = blockNames(doc);
  const known = new Set(blocks.map((b) => b.name));
  for (const n of new Set(names)) {
    if (!known.has(n)) problems.push(`"${n}": a generated block that no command rebuilds from committed records (list it in bench/generatedBlocks.ts, or drop its markers and label it a historical log)`);
  }
  for (const b of blocks) {
    const count = names.filter((n) => n === b.name).length;
    if (count !== 1) {
      problems.push(`"${b.name}": ${count === 0 ? 'not in the document' : `in the document ${count} times`}`);
      continue;
    }
    const missing = b.records.filter((f) => !existsSync(join(ROOT, f)));
    if (missing.length) {
      problems.push(`"${b.name}": its records ${missing.join(', ')} are not in the repository`);
      continue;
    }
    const current = blockText(doc, b);
    const rendered = await b.render();
    if (current === null) problems.push(`"${b.name}": its begin marker is not exactly "${b.begin}", or its end marker "${b.end}" is missing`);
    else if (current !== rendered.markdown.trimEnd()) problems.push(`"${b.name}": differs from what its records render (npx tsx bench/rebuildBenchmarks.ts rewrites it); ${firstDifference(current, rendered.markdown.trimEnd())}`);
    for (const f of rendered.files) {
      const text = existsSync(join(ROOT, f.file)) ? await read(f.file) : null;
      if (text !== f.text) problems.push(`"${b.name}": ${f.file} differs from what its records render`);
    }
  }
  return problems;
}
