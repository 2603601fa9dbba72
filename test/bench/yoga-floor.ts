/**
 * What graphql-yoga itself costs, for the benchmark only: the gateway's read query answered by a yoga
 * server with a one-type schema and nothing of ours (no auth, logging, metrics, validation or limits).
 * Without UPSTREAM_URL the stamp comes from memory (the framework alone); with it, each query makes
 * the same upstream validate call over undici's keep-alive pool (the smallest yoga gateway).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { Pool } from 'undici';

interface Upstream {
  result: { stampIdx: number; stamps: number; maxStamps: number; activeYn: string; userId: string };
}
const upstream = process.env.UPSTREAM_URL ? new Pool(new URL(process.env.UPSTREAM_URL).origin, { connections: 32 }) : null;
const headers = { authorization: `APIKey ${process.env.UPSTREAM_KEY}`, 'user-agent': 'StampGatewayBench/1.0', accept: 'application/json' };

async function stamp(stampIdx: number) {
  if (!upstream) return { stampIdx, stamps: 3, maxStamps: 10, active: true, user: { id: 'demo-alice' } };
  const answer = await upstream.request({ path: `/api/stamp/v1/validate?stampIdx=${stampIdx}`, method: 'GET', headers });
  const { result } = (await answer.body.json()) as Upstream;
  return {
    stampIdx: result.stampIdx,
    stamps: result.stamps,
    maxStamps: result.maxStamps,
    active: result.activeYn === 'Y',
    user: { id: result.userId },
  };
}

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type User { id: String! }
    type Stamp { stampIdx: Int! stamps: Int! maxStamps: Int! active: Boolean! user: User! }
    type Query { stamp(stampIdx: Int!): Stamp }
  `,
  resolvers: { Query: { stamp: (_: unknown, args: { stampIdx: number }) => stamp(args.stampIdx) } },
});
// The gateway refuses oversized bodies itself and turns yoga's streaming limit off; so does this.
const yoga = createYoga({ schema, logging: false, graphiql: false, landingPage: false, maxRequestBodySize: false });
const server = createServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`yoga floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
// Ends on SIGINT as the gateway does, so that a profiled run (`--cpu-prof`) writes its profile.
process.once('SIGINT', () => process.exit(0));
