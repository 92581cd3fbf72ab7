import type { InputIssue } from '../inputIssue.ts';

/**
 * Files dropped while a run is going: they are not loaded, because a new case would cancel
 * the run (minutes of adaptation) by accident. The run goes on; the user drops them again
 * when it is done, or after Cancel.
 */
export function droppedDuringRun(names: string[]): InputIssue {
  const what = names.length === 0 ? 'The dropped files were' : names.length === 1 ? `${names[0]} was` : `${names.length} files (${names.join(', ')}) were`;
  return {
    code: 'run-in-progress',
    severity: 'error',
    files: names,
    message: `${what} not loaded: a run is in progress on the current case. Wait for it to finish or press Cancel, then drop the files again.`,
  };
}
