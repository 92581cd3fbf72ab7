import { needsRawPipeline } from '../../core/rawStudy/index.ts';
import { caseFacts } from '../../core/results/index.ts';
import { useAttune } from '../store.ts';

/** Every problem with the current drop, errors first, each naming its file(s). */
export function IssuePanel() {
  const issues = useAttune((s) => s.check.issues);
  const failures = useAttune((s) => s.failures);
  const notices = useAttune((s) => s.notices);
  const mriCase = useAttune((s) => s.check.mriCase);
  const files = useAttune((s) => s.files);
  const hasFiles = files.length > 0;
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
      {needsRawPipeline(issues, files) && <RawStudyOffer />}
    </section>
  );
}

/**
 * A drop refused only for what a scanner's study is (own grids, not 1 mm, with skull) is not
 * a dead end: it can be prepared here. Nothing dropped is modified.
 */
function RawStudyOffer() {
  const raw = useAttune((s) => s.rawStudy);
  const prepare = useAttune((s) => s.prepareRawStudy);
  if (raw.status === 'preparing' || raw.status === 'review') return null;
  return (
    <div className="raw-offer" data-testid="raw-study-offer">
      <p>
        These look like a study straight from the scanner: the model needs the four series skull-stripped, registered to the SRI24
        atlas and on its 1 mm grid. Attune can do that here (MindGrab strips the T1Gd, elastix registers the series); you check the
        result before the model runs. Your files are not changed.
      </p>
      {raw.status === 'failed' && raw.error && (
        <p className="error-text" role="alert" data-testid="raw-study-error">
          Preparing the study failed: {raw.error}
        </p>
      )}
      <button type="button" className="primary" data-testid="prepare-raw-study" onClick={prepare}>
        {raw.status === 'failed' ? 'Try again: prepare this raw study' : 'Prepare this raw study (skull strip + register to the atlas, on this machine)'}
      </button>
    </div>
  );
}
