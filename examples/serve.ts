// `npm run example`: the example front-end against the sandbox, in one command.
//
// Starts the gateway (src/server.ts, sandbox mode) with what a front-end's local set-up needs:
// CORS_ORIGINS naming this page server's origin, and PERSISTED_OPERATIONS_FILE the manifest
// graphql-codegen wrote (examples/gql), so the pages can run those documents and nothing else. Then
// serves the pages (examples/web, bundled with esbuild) and, because the gateway runs on the sandbox,
// development tokens for them (/dev/token, as `npm run token` prints).
//
// EXAMPLE_PORT (5173) for the pages, PORT (4000) for the gateway, DATA_DIR (./.data/example).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { devJwtSecret, mintDevToken } from '../src/auth/dev-tokens.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const web = join(here, 'web');

if (process.env.STAMP_API_KEY) {
  process.stderr.write('npm run example: refused, STAMP_API_KEY is set. The example mints development tokens: sandbox mode only.\n');
  process.exit(1);
}
const dataDir = process.env.DATA_DIR ?? join(root, '.data', 'example');
const gatewayPort = process.env.PORT ?? '4000';
const examplePort = Number(process.env.EXAMPLE_PORT ?? 5173);

// The pages' scripts, bundled once at start (the typed client, urql and graphql-ws included).
const bundled = await build({
  entryPoints: { customer: join(web, 'customer.ts'), cashier: join(web, 'cashier.ts') },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  write: false,
  outdir: '/',
  tsconfig: join(web, 'tsconfig.json'),
  logLevel: 'warning',
});
const scripts = new Map(bundled.outputFiles.map((f) => [f.path, f.contents]));

const PAGES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/customer.html': ['customer.html', 'text/html; charset=utf-8'],
  '/cashier.html': ['cashier.html', 'text/html; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};
const ID = /^[^\p{Cc}\p{Cs}]{1,100}$/u;
let gatewayUrl = '';

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://example.local');
  const send = (status: number, type: string, body: string | Uint8Array) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };
  if (req.method !== 'GET') return send(405, 'text/plain', 'GET only');
  const page = PAGES[url.pathname];
  if (page) return send(200, page[1], await readFile(join(web, page[0])));
  const script = scripts.get(url.pathname);
  if (script) return send(200, 'text/javascript; charset=utf-8', script);
  if (url.pathname === '/config.json') return send(200, 'application/json', JSON.stringify({ gatewayUrl }));
  if (url.pathname === '/dev/token') {
    const customer = url.searchParams.get('customer');
    const staff = url.searchParams.get('staff');
    const id = customer ?? staff;
    if (!id || (customer && staff) || !ID.test(id))
      return send(400, 'text/plain', 'Ask for ?customer=<user id> or ?staff=<name> (1 to 100 characters)');
    const token = await mintDevToken(devJwtSecret(dataDir), customer ? { customer } : { staff: staff! }, 3600);
    return send(200, 'application/json', JSON.stringify({ token }));
  }
  send(404, 'text/plain', 'Not found');
});
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(examplePort, '127.0.0.1', resolve);
});
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// The gateway, as `npm start` runs it, with this page server's origin allowed.
const gateway: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'server.ts')], {
  cwd: root,
  env: {
    ...process.env,
    PORT: gatewayPort,
    DATA_DIR: dataDir,
    CORS_ORIGINS: `${origin},http://localhost:${(server.address() as AddressInfo).port}`,
    PERSISTED_OPERATIONS_FILE: join(root, 'examples', 'gql', 'persisted-documents.json'),
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const stop = (code: number) => {
  gateway.kill('SIGTERM');
  server.close();
  process.exitCode = code;
};
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));
gateway.once('exit', (code) => {
  if (!gatewayUrl) process.stderr.write(`npm run example: the gateway exited (${code}) before it was ready\n`);
  server.close();
  process.exitCode ||= code ?? 1;
});
let seen = '';
const watch = (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (gatewayUrl) return;
  seen += chunk;
  const m = /ready: (http:\/\/[^\s/"]+)\/graphql/.exec(seen);
  if (!m) return;
  gatewayUrl = m[1]!;
  seen = '';
  process.stdout.write(
    `\nexample ready: ${origin}/\n  customer: ${origin}/customer.html?user=demo-alice\n  cashier:  ${origin}/cashier.html\n  gateway:  ${gatewayUrl}/graphql (persisted documents only, CORS for ${origin})\n\n`,
  );
};
gateway.stdout!.on('data', watch);
gateway.stderr!.on('data', watch);
