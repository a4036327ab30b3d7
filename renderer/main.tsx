// Entry of the renderer bundle: mount the app; the window title comes from the catalogue.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { t } from './app/words.js';

document.title = t('title');
const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><App /></StrictMode>);
