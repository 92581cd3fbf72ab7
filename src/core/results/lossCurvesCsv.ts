export interface CurveForCsv {
  mode: string;
  /** Objective per iteration, iteration 0 first. */
  lossCurve: readonly number[];
  chosenIteration: number;
}

/**
 * Loss curves as CSV, one row per mode × iteration (long format: easy to filter and plot):
 * `mode,iteration,loss,chosen` with chosen = 1 on the kept iterate. Full float precision.
 */
export function lossCurvesCsv(curves: readonly CurveForCsv[]): string {
  const rows = ['mode,iteration,loss,chosen'];
  for (const c of curves) {
    c.lossCurve.forEach((loss, iteration) => {
      rows.push(`${c.mode},${iteration},${Number.isFinite(loss) ? String(loss) : ''},${iteration === c.chosenIteration ? 1 : 0}`);
    });
  }
  return rows.join('\n') + '\n';
}
