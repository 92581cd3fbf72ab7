import { AssignmentTable } from './components/AssignmentTable.tsx';
import { BackendBadge } from './components/BackendBadge.tsx';
import { DicomStudyPanel } from './components/DicomStudyPanel.tsx';
import { DropZone } from './components/DropZone.tsx';
import { IssuePanel } from './components/IssuePanel.tsx';
import { RawStudyOutcome } from './components/RawStudyOutcome.tsx';
import { RawStudyScreen } from './components/RawStudyScreen.tsx';
import { Results } from './components/Results.tsx';
import { RunPanel } from './components/RunPanel.tsx';
import { Viewer } from './components/Viewer.tsx';
import { BRATS_CITATION, DEMO_CASE } from './demoCase.ts';
import { useAttune } from './store.ts';

export function App() {
  const engineNotices = useAttune((s) => s.engine.notices);
  // A raw study being prepared or checked has the content area to itself (the QC screen).
  const rawScreen = useAttune((s) => s.rawStudy.status === 'preparing' || s.rawStudy.status === 'review');
  return (
    <div className="app">
      <header className="app__header">
        <h1>Attune</h1>
        <p className="muted">
          Brain tumour segmentation in your browser that adapts to each scan. Nothing leaves this computer.
        </p>
        <BackendBadge />
      </header>
      {engineNotices.length > 0 && (
        <div className="notice-bar" role="alert">
          {engineNotices.map((n) => <p key={n}>{n}</p>)}
        </div>
      )}
      <main className="app__main">
        <aside className="app__side">
          <DropZone />
          <DicomStudyPanel />
          <AssignmentTable />
          <IssuePanel />
          <RunPanel />
        </aside>
        <div className="app__content">
          {rawScreen && <RawStudyScreen />}
          {/* Hidden, not unmounted: the viewer's niivue attaches to its canvas once. */}
          <div className="app__stack" style={rawScreen ? { display: 'none' } : undefined}>
            <Viewer />
            <Results />
            <RawStudyOutcome />
          </div>
        </div>
      </main>
      <footer className="app__footer" data-testid="citation">
        <p>
          Demo case {DEMO_CASE.id} and the model’s training data: {BRATS_CITATION}
        </p>
        <p>Research software, not a medical device: do not use for diagnosis.</p>
      </footer>
    </div>
  );
}
