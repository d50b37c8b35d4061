// The last errors of this page (a panic in the UI is logged with console.error), kept
// for whoever looks at a stuck screen: the end-to-end tests' timeout reports read them.
window.storeopsErrors = [];
(() => {
  const keep = (text) => {
    window.storeopsErrors.push(String(text).slice(0, 2000));
    window.storeopsErrors.splice(0, Math.max(0, window.storeopsErrors.length - 20));
  };
  window.addEventListener('error', (e) => keep(e.message));
  window.addEventListener('unhandledrejection', (e) => keep(e.reason));
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    keep(args.join(' '));
    consoleError(...args);
  };
})();
