import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './styles.css';

// No StrictMode: it mounts components twice in development, and niivue must attach to
// its canvas exactly once.
createRoot(document.getElementById('root')!).render(<App />);
