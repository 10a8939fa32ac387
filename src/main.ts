// First: every error nobody catches is shown on the page from here on.
import './ui/reportErrors';
import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (target === null) throw new Error('no #app element in the page');
export default mount(App, { target });

// Served over http(s), the page keeps working offline through its service
// worker. The single-file build compiles this out: from file:// there is none.
if (__OFFBROWSE_SERVICE_WORKER__ && (location.protocol === 'https:' || location.protocol === 'http:')) {
  void import('./ui/offlineCache').then((m) => m.startOfflineCache());
}
