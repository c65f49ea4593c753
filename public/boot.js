// Loads the app's wasm. An external module (not Trunk's inline script) so the page's
// Content-Security-Policy can forbid inline scripts. Paths are relative to the page, so
// dist/ works under any sub-path.
const tag = document.querySelector('script[data-js][data-wasm]');
const js = new URL(tag.dataset.js, document.baseURI).href;
const wasm = new URL(tag.dataset.wasm, document.baseURI).href;
const bindings = await import(js);
await bindings.default({ module_or_path: wasm });
