import type { InputIssue } from '../core/inputIssue.ts';

/** The validation messages of a case, one line each . */
export function describeIssues(issues: InputIssue[]): string {
  return issues.filter((i) => i.severity === 'error').map((i) => i.message).join('; ');
}
