/**
 * Rebuilds every generated block of BENCHMARKS.md (and its figures) from the committed
 * records listed in `bench/generatedBlocks.ts`, in seconds; nothing is measured.
 *   npx tsx bench/rebuildBenchmarks.ts           rewrite the blocks
 *   npx tsx bench/rebuildBenchmarks.ts --check   only say what differs (exit 1 if anything does)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BENCHMARKS, checkBlocks, GENERATED_BLOCKS, ROOT, spliceBlock } from './generatedBlocks.ts';

const path = join(ROOT, BENCHMARKS);
let doc = await readFile(path, 'utf8');
if (process.argv.includes('--check')) {
  const problems = await checkBlocks(doc);
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problems` : `every generated block of ${BENCHMARKS} rebuilds from its records`);
  process.exit(problems.length ? 1 : 0);
}
for (const block of GENERATED_BLOCKS) {
  const { markdown, files } = await block.render();
  doc = spliceBlock(doc, block, markdown);
  for (const f of files) {
    await mkdir(dirname(join(ROOT, f.file)), { recursive: true });
    await writeFile(join(ROOT, f.file), f.text);
  }
  console.log(`${block.name}: rendered from ${block.records.join(', ')}`);
}
await writeFile(path, doc);
const unknown = (await checkBlocks(doc)).filter((p) => p.includes('no command rebuilds'));
for (const p of unknown) console.log(p);
process.exit(unknown.length ? 1 : 0);
