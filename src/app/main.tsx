import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { engineOptionsFromUrl } from './engine.ts';
import { exposeRegistration } from './registrationHandle.ts';
import { useAttune } from './store.ts';
import './styles.css';

// The worker starts with the page: the backend badge shows at once, and the model is
// loaded by the time a case is dropped.
useAttune.getState().startEngine(engineOptionsFromUrl(window.location.href));
exposeRegistration();

// No StrictMode: it mounts components twice in development, and niivue must attach to
// its canvas exactly once.
createRoot(document.getElementById('root')!).render(<App />);
