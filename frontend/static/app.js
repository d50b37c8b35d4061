// Loads the UI's wasm module, which mounts the app (a file, not an inline script, so
// the web app's Content-Security-Policy can forbid inline scripts).
import init from './storeops_ui.js';

init();
