/**
 * The limit for any Node gateway, for the benchmark only: receives `{"stampIdx": N}`, makes the same
 * upstream validate call over a keep-alive connection pool, and returns the JSON. No validation,
 * no GraphQL, no logging.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const upstream = process.env.UPSTREAM_URL!;
const headers = { authorization: `APIKey ${process.env.UPSTREAM_KEY}`, 'user-agent': 'StampGatewayBench/1.0', accept: 'application/json' };

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { stampIdx } = JSON.parse(Buffer.concat(chunks).toString()) as { stampIdx: number };
      // Node's fetch keeps connections alive (undici's global dispatcher).
      const upstreamRes = await fetch(`${upstream}/api/stamp/v1/validate?stampIdx=${stampIdx}`, { headers });
      const body = await upstreamRes.text();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch {
      res.writeHead(502).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`forwarder listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
