import { useMemo } from 'react';
import type { CaseFile, InputIssue } from '../../core/index.ts';
import { needsRawPipeline, preparationPlan, PREPARE_ELSEWHERE } from '../../core/rawStudy/index.ts';
import { caseFacts } from '../../core/results/index.ts';
import { isAlreadyStripped } from '../../core/skullStrip/index.ts';
import { useAttune } from '../store.ts';

/**
 * Every problem with the current drop, errors first, each naming its file(s). A drop refused
 * only as a raw study (`needsRawPipeline`) is not shown as errors: the offer to prepare it
 * comes first, and its refusals are listed under the preparation step that resolves each.
 */
export function IssuePanel() {
  const issues = useAttune((s) => s.check.issues);
  const failures = useAttune((s) => s.failures);
  const notices = useAttune((s) => s.notices);
  const mriCase = useAttune((s) => s.check.mriCase);
  const files = useAttune((s) => s.files);
  const hasFiles = files.length > 0;
  if (!hasFiles && failures.length === 0) return null;

  const raw = needsRawPipeline(issues, files);
  // A raw study's errors are all preparation steps (RawStudyOffer); its warnings stay here.
  const listed: Pick<InputIssue, 'message' | 'severity'>[] = [...failures.map((message) => ({ message, severity: 'error' as const })), ...issues.filter((i) => !raw || i.severity !== 'error')];
  const clean = failures.length === 0 && issues.length === 0;
  return (
    <section className="panel" aria-labelledby="issues-heading" data-testid="issue-panel">
      <h2 id="issues-heading">Checks</h2>
      {clean && mriCase && (
        <p className="ok-text" data-testid="case-ready">
          Case complete: four modalities on one grid{mriCase.label ? ', with a label map' : ''}.
        </p>
      )}
      {clean && mriCase && caseFacts(mriCase).map((fact) => (
        <p key={fact} className="muted" data-testid="case-fact">{fact}</p>
      ))}
      {raw && <RawStudyOffer issues={issues} files={files} />}
      {listed.length > 0 && (
        <ul className="issues" role="alert">
          {listed.map((issue, n) => (
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

/**
 * A drop refused only for what a scanner's study is (own grids, not 1 mm, with skull) is not
 * a dead end: it can be prepared here. What the checks found is said as what preparing will
 * do about it. Nothing dropped is modified.
 */
function RawStudyOffer({ issues, files }: { issues: InputIssue[]; files: CaseFile[] }) {
  const raw = useAttune((s) => s.rawStudy);
  const prepare = useAttune((s) => s.prepareRawStudy);
  // As the raw-study slice decides it when it starts the worker (and the CLI): no MindGrab for a stripped T1Gd.
  const t1ce = files.find((f) => f.role === 't1ce')?.volume ?? null;
  const alreadyStripped = useMemo(() => (t1ce ? isAlreadyStripped(t1ce) : false), [t1ce]);
  const plan = useMemo(() => preparationPlan(issues, { alreadyStripped }), [issues, alreadyStripped]);
  const busy = raw.status === 'preparing' || raw.status === 'review';
  return (
    <div className="raw-offer" data-testid="raw-study-offer">
      <p className="raw-offer__lead">
        {busy
          ? 'A study straight from the scanner, being prepared for the model on this machine.'
          : 'These look like a study straight from the scanner. Attune can prepare it for the model here, on this machine; you check the result before the model runs. Your files are not changed.'}
      </p>
      {raw.status === 'failed' && raw.error && (
        <p className="error-text" role="alert" data-testid="raw-study-error">
          Preparing the study failed: {raw.error}
        </p>
      )}
      {!busy && (
        <button type="button" className="primary" data-testid="prepare-raw-study" onClick={prepare}>
          {raw.status === 'failed' ? 'Try again: prepare this raw study' : 'Prepare this raw study (skull strip + register to the atlas, on this machine)'}
        </button>
      )}
      <h3 className="raw-offer__heading">What preparing {busy ? 'does' : 'will do'}</h3>
      <ol className="raw-plan" data-testid="raw-study-plan">
        {plan.map((step) => (
          <li key={step.id} data-testid="raw-plan-step" data-step={step.id}>
            <strong>{step.title}</strong>: {step.does}
            {step.resolves.length > 0 && (
              <ul className="raw-plan__found">
                {step.resolves.map((r, n) => (
                  <li key={n} className="issue issue--resolved" data-testid="issue-resolved" data-code={r.code}>
                    <span className="raw-plan__label">Found: </span>
                    {r.found}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      <p className="muted" data-testid="raw-study-elsewhere">{PREPARE_ELSEWHERE}</p>
    </div>
  );
}
