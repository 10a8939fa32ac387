import { mount } from 'svelte';
import App from './ui/App.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (target === null) throw new Error('no #app element in the page');
export default mount(App, { target });
