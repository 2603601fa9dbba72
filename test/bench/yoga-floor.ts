/**
 * What graphql-yoga itself costs, for the benchmark only: the gateway's read query answered from
 * memory by a yoga server with yoga's defaults and a one-type schema. No upstream call, no auth, no
 * plugins of ours. The gateway's CPU per read minus this row's is what the gateway adds to yoga.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const stamp = { stampIdx: 1000, stamps: 3, maxStamps: 10, active: true, user: { id: 'demo-alice' } };
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type User { id: String! }
    type Stamp { stampIdx: Int! stamps: Int! maxStamps: Int! active: Boolean! user: User! }
    type Query { stamp(stampIdx: Int!): Stamp }
  `,
  resolvers: { Query: { stamp: (_: unknown, args: { stampIdx: number }) => ({ ...stamp, stampIdx: args.stampIdx }) } },
});
// The gateway refuses oversized bodies itself and turns yoga's streaming limit off; so does the floor.
const yoga = createYoga({ schema, logging: false, graphiql: false, landingPage: false, maxRequestBodySize: false });
const server = createServer(yoga);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`yoga floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
