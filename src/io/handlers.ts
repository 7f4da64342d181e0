// Where saved models go: memory, file:// (Node/Deno), indexeddb:// and downloads:// (browsers),
// and http(s):// (or a page-relative URL in a browser) for loading; nn.io.fromMemory and
// nn.io.browserFiles load from what the caller holds. Every handler speaks the tfjs layers format.
import type { IOHandler, LoadOptions } from './artifacts';
import { FileHandler } from './file';
import { IndexedDBHandler, DownloadsHandler } from './browser';
import { HttpHandler, pageLocation } from './http';

export type { ModelArtifacts, SaveResult, IOHandler, LoadOptions, WeightSpec } from './artifacts';
export { LOAD_OPTION_KEYS, modelJSON, saveResult } from './artifacts';
export { MemoryHandler, memory, fromMemory } from './memory';
export { browserFiles } from './browser';

/** Resolves a URL-like string or handler object to a handler; `options` (loading only) go to http(s). */
export function getHandler(spec: string | IOHandler, where: string, options?: LoadOptions): IOHandler {
  if (typeof spec !== 'string') {
    if (spec && (typeof spec.save === 'function' || typeof spec.load === 'function')) return spec;
    throw new Error(`${where}: expected a URL string or an IO handler`);
  }
  const m = /^([a-z]+):\/\/(.*)$/.exec(spec);
  const scheme = m?.[1];
  const rest = m?.[2] ?? '';
  const page = scheme ? undefined : pageLocation();
  if (options && Object.keys(options).length && scheme !== 'http' && scheme !== 'https' && !page) {
    throw new Error(`${where}: the load options ${Object.keys(options).join(', ')} apply to http(s):// sources only`);
  }
  switch (scheme) {
    case 'file': return new FileHandler(rest);
    case 'indexeddb': return new IndexedDBHandler(rest);
    case 'downloads': return new DownloadsHandler(rest);
    case 'http': case 'https': return new HttpHandler(spec, options);
    default:
      // In a page, 'model/model.json' or '/models/m.json' means what a link would: relative to the page.
      if (page && !scheme && spec) return new HttpHandler(new URL(spec, page).href, options);
      throw new Error(`${where}: unsupported destination '${spec}' (use file://, indexeddb://, downloads://, http(s):// or nn.io.memory()` +
        `${scheme ? '' : '; a relative URL works in a browser page only'})`);
  }
}
