/**
 * The limit for any Node gateway, for the benchmark only: receives `{"stampIdx": N}`, makes the same
 * upstream validate call over undici's keep-alive connection pool (what the gateway's reads use), and
 * returns the JSON. No validation, no GraphQL, no logging.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const upstream = new Pool(new URL(process.env.UPSTREAM_URL!).origin, { connections: 32, keepAliveTimeout: 30_000 });
const headers = { authorization: `APIKey ${process.env.UPSTREAM_KEY}`, 'user-agent': 'StampGatewayBench/1.0', accept: 'application/json' };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { stampIdx } = JSON.parse(Buffer.concat(chunks).toString()) as { stampIdx: number };
      const answer = await upstream.request({ path: `/api/stamp/v1/validate?stampIdx=${stampIdx}`, method: 'GET', headers });
      const body = await answer.body.text();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch {
      res.writeHead(502).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`forwarder listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
