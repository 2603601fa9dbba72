import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';
import { requestPath } from './request-path.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Where GraphiQL's scripts, styles and workers are served from, each under a name with its content's hash. */
export const GRAPHIQL_ASSETS = '/graphiql/assets/';

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
  /** Compressed once, on first request, then kept. */
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

/** GraphiQL's parts, from the bundle yoga renders inline, as files with hashed names. */
async function loadAssets(): Promise<Map<string, Asset>> {
  const g = await import('@graphql-yoga/render-graphiql/graphiql');
  const parts: Array<[string, string, string | Buffer]> = [
    ['graphiql', 'js', g.js],
    ['graphiql-styles', 'css', g.css],
    ['editor.worker', 'js', g.editorWorkerService],
    ['json.worker', 'js', g.jsonWorker],
    ['graphql.worker', 'js', g.graphqlWorker],
    ['favicon', 'ico', Buffer.from(g.favicon.replace(/^data:[^,]*;base64,/, ''), 'base64')],
  ];
  const types: Record<string, string> = {
    js: 'text/javascript; charset=utf-8',
    css: 'text/css; charset=utf-8',
    ico: 'image/x-icon',
  };
  const assets = new Map<string, Asset>();
  for (const [name, ext, content] of parts) {
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const path = `${GRAPHIQL_ASSETS}${name}.${hash}.${ext}`;
    assets.set(name, { path, type: types[ext]!, body, etag: `"${hash}"` });
  }
  return assets;
}

const escapeScript = (json: string) => json.replace(/</g, '\\u003c');

/** The page: small, with the bundle's parts as separate, cacheable, compressed files from this server. */
function page(assets: Map<string, Asset>, options: Record<string, unknown>): string {
  const at = (name: string) => assets.get(name)!.path;
  const workers = { editorWorkerService: at('editor.worker'), json: at('json.worker'), graphql: at('graphql.worker') };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${String(options.title ?? 'GraphiQL').replace(/[<&"]/g, '')}</title>
    <link rel="icon" href="${at('favicon')}" />
    <link rel="stylesheet" href="${at('graphiql-styles')}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => ${escapeScript(JSON.stringify(workers))}[label] };
    </script>
    <script src="${at('graphiql')}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${escapeScript(JSON.stringify(options))});
    </script>
  </body>
</html>
`;
}

/**
 * GraphiQL as static files: the page is a few KB; its scripts (5 MB), styles and Monaco's workers are
 * separate files under names that change with their content, served with a year's immutable cache and
 * brotli or gzip (compressed once per process), so a browser downloads them once per release. Nothing
 * is loaded from outside. yoga's renderGraphiQL inlines all of it into one 9 MB page on every load.
 */
export function graphiqlAssets(): { render: (options: Record<string, unknown>) => Promise<string>; plugin: Plugin } {
  let loaded: Promise<Map<string, Asset>> | undefined;
  const assets = () => (loaded ??= loadAssets());
  return {
    async render(options) {
      const all = await assets();
      return page(all, options);
    },
    plugin: {
      // Not async: every GraphQL request passes here, and an async hook costs it a promise and a turn.
      onRequest({ request, endResponse }) {
        const path = requestPath(request);
        if (!path.startsWith(GRAPHIQL_ASSETS)) return;
        return serve(request, path, endResponse);
      },
    },
  };

  async function serve(request: Request, path: string, endResponse: (response: Response) => void): Promise<void> {
    const all = await assets();
    const asset = [...all.values()].find((a) => a.path === path);
    if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return endResponse(new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } }));
    }
    const headers: Record<string, string> = {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
      etag: asset.etag,
      vary: 'accept-encoding',
    };
    if (request.headers.get('if-none-match') === asset.etag) return endResponse(new Response(null, { status: 304, headers }));
    const accepted = request.headers.get('accept-encoding') ?? '';
    let body = asset.body;
    if (/\bbr\b/.test(accepted)) {
      asset.br ??= brotli(asset.body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length },
      });
      body = await asset.br;
      headers['content-encoding'] = 'br';
    } else if (/\bgzip\b/.test(accepted)) {
      asset.gzip ??= gz(asset.body, { level: 9 });
      body = await asset.gzip;
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    endResponse(new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers }));
  }
}
