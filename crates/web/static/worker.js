// The device's worker: loads the wasm module and starts the device (storeops-web).
// Commands the page sends while the module loads are kept here and handed over, in
// order (a worker with no message handler would drop them). A module that cannot load
// says so (the page shows it) instead of leaving the page waiting.
import init, { start } from './storeops_web.js';

const early = [];
self.onmessage = (event) => early.push(event.data);
try {
  await init();
  start(early);
} catch (e) {
  self.postMessage(JSON.stringify({
    kind: 'failed',
    error: { code: 'unavailable', message: `the app's device part did not start in this browser: ${e}` },
  }));
}
