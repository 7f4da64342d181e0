// http(s)://…/model.json, and URLs relative to the page in a browser.
import { IOHandler, LoadOptions, ModelArtifacts, fromModelJSON } from './artifacts';

/**
 * http(s)://…/model.json: loads with fetch. Weights resolve against the JSON's URL (or weightPathPrefix)
 * and must stay on that origin unless the caller passes allowCrossOriginWeights.
 */
export class HttpHandler implements IOHandler {
  constructor(private readonly url: string, private readonly options: LoadOptions = {}) {}
  async load(): Promise<ModelArtifacts> {
    const where = `loadLayersModel('${this.url}')`;
    const { weightPathPrefix, allowCrossOriginWeights = false, requestInit } = this.options;
    const fetchFn = this.options.fetchFunc ?? globalThis.fetch;
    const res = await fetchFn(this.url, requestInit);
    if (!res.ok) throw new Error(`${where}: HTTP ${res.status}`);
    let json: unknown;
    try { json = await res.json(); } catch (e) { throw new Error(`${where}: the model.json is not JSON: ${(e as Error).message}`); }
    // as tfjs: with weightPathPrefix, a weight's URL is the prefix followed by its path
    const base = new URL(weightPathPrefix ?? this.url, this.url);
    return fromModelJSON(json, {
      resolve: async (p) => {
        let u: URL;
        try { u = weightPathPrefix === undefined ? new URL(p, base) : new URL(weightPathPrefix + p, this.url); }
        catch { throw new Error(`${where}: weights path '${p}' is not a valid URL path`); }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${where}: weights path '${p}' is not an http(s) URL`);
        if (u.origin !== base.origin && !allowCrossOriginWeights) {
          throw new Error(`${where}: weights path '${p}' points to ${u.origin}, another origin than ${base.origin}; ` +
            'pass { allowCrossOriginWeights: true } to loadLayersModel if you trust this model.json');
        }
        return u;
      },
      read: async (u, p, allowed) => {
        const r = await fetchFn(u.href, requestInit);
        if (!r.ok) throw new Error(`${where}: weights ${p}: HTTP ${r.status}`);
        const declared = Number(r.headers?.get?.('content-length') ?? NaN);
        if (declared > allowed) {
          await r.body?.cancel?.().catch(() => {});
          throw new Error(`${where}: weights file ${p} holds ${declared} bytes, more than the ${allowed} the manifest still describes`);
        }
        return r.arrayBuffer();
      },
    }, where);
  }
}

/** The page's (or worker's) URL in a browser; undefined elsewhere (Deno without --location throws on access). */
export function pageLocation(): string | undefined {
  if (typeof document === 'undefined' && typeof (globalThis as { importScripts?: unknown }).importScripts !== 'function') return undefined;
  try { return (globalThis as { location?: Location }).location?.href; } catch { return undefined; }
}
