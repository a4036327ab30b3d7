// Entry of the renderer bundle: load the words of the language to show, then mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { startLanguage, showLanguage } from './app/words.js';

const language = startLanguage();
void showLanguage(language).then(() => {
  const root = document.getElementById('root');
  if (root) createRoot(root).render(<StrictMode><App language={language} /></StrictMode>);
});
