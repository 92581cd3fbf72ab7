/**
 * Where `value` falls among the training scans' own values: the percentage of them at or
 * below it. 100 = at or above every training scan; 0 = below all of them.
 */
export function percentileAmong(value: number, training: readonly number[]): number {
  if (!training.length) throw new Error('percentileAmong: no training values');
  return (100 * training.filter((t) => t <= value).length) / training.length;
}
