import { AssignmentTable } from './components/AssignmentTable.tsx';
import { DropZone } from './components/DropZone.tsx';
import { IssuePanel } from './components/IssuePanel.tsx';
import { Viewer } from './components/Viewer.tsx';

export function App() {
  return (
    <div className="app">
      <header className="app__header">
        <h1>Attune</h1>
        <p className="muted">
          Brain tumour segmentation in your browser that adapts to each scan. Nothing leaves this computer.
        </p>
      </header>
      <main className="app__main">
        <aside className="app__side">
          <DropZone />
          <AssignmentTable />
          <IssuePanel />
        </aside>
        <Viewer />
      </main>
    </div>
  );
}
