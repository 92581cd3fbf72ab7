import { caseFacts } from '../../core/results/index.ts';
import { useAttune } from '../store.ts';

/** Every problem with the current drop, errors first, each naming its file(s). */
export function IssuePanel() {
  const issues = useAttune((s) => s.check.issues);
  const failures = useAttune((s) => s.failures);
  const notices = useAttune((s) => s.notices);
  const mriCase = useAttune((s) => s.check.mriCase);
  const hasFiles = useAttune((s) => s.files.length > 0);
  if (!hasFiles && failures.length === 0) return null;

  const errors = [...failures.map((message) => ({ message, severity: 'error' as const })), ...issues];
  return (
    <section className="panel" aria-labelledby="issues-heading" data-testid="issue-panel">
      <h2 id="issues-heading">Checks</h2>
      {errors.length === 0 && mriCase && (
        <p className="ok-text" data-testid="case-ready">
          Case complete: four modalities on one grid{mriCase.label ? ', with a label map' : ''}.
        </p>
      )}
      {errors.length === 0 && mriCase && caseFacts(mriCase).map((fact) => (
        <p key={fact} className="muted" data-testid="case-fact">{fact}</p>
      ))}
      {errors.length > 0 && (
        <ul className="issues" role="alert">
          {errors.map((issue, n) => (
            <li key={n} className={`issue issue--${issue.severity}`} data-testid={`issue-${issue.severity}`}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {notices.map((n) => (
        <p key={n} className="muted">{n}</p>
      ))}
    </section>
  );
}
