import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import 'bootstrap-italia/dist/css/bootstrap-italia.min.css';
import './styles/fonts.css';
// Scripts the Bootstrap Italia typefaces lack (Arabic, Ge'ez, Bengali): served with the console,
// each downloaded only when a page shows a character of its script (unicode-range).
import '@fontsource-variable/noto-sans-arabic';
import '@fontsource-variable/noto-sans-ethiopic';
import '@fontsource-variable/noto-sans-bengali';
import './styles/app.css';
import './i18n';
import App from './App';
import { SessionProvider } from './session';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <SessionProvider>
        <App />
      </SessionProvider>
    </BrowserRouter>
  </StrictMode>,
);
