/**
 * The number formats and table rows of every generated markdown block (the research report,
 * the evaluation, `bench/summarizeRuns.ts`): one definition, so the blocks cannot drift apart
 * in how they print a missing value or a sign.
 */

/** Arithmetic mean; NaN for no values (printed as '–'). */
export const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

/** Three decimals; '–' for a missing or non-finite value. */
export const f3 = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(3));

/** Two decimals with a typographic minus; '–' for a missing or non-finite value. */
export const f2 = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(2).replace('-', '−'));

/** A change: always signed (+ or typographic −), three decimals; '–' when not finite. */
export const signed = (v: number) => (Number.isFinite(v) ? (v >= 0 ? '+' : '−') + Math.abs(v).toFixed(3) : '–');

/** One markdown table row. */
export const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** A markdown table's header row and its separator. */
export const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];
