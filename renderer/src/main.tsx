import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { connect } from './api/connection';
import { App } from './app/App';
import { initI18n } from './i18n/index';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element.');
// The secret is taken from the address before the router reads the fragment as a route.
const connection = connect();
void initI18n().then(() =>
  createRoot(container).render(
    <StrictMode>
      <Router hook={useHashLocation}>
        <App connection={connection} />
      </Router>
    </StrictMode>,
  ),
);
