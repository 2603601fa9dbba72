/**
 * The peer the gateway is measured against, for the benchmark only: what a team would write by hand.
 * Apollo Server 5 (standalone) with a RESTDataSource calling the stamp API's validate endpoint with
 * the same headers, answering the gateway's read query; no cache (each request its own data source,
 * RESTDataSource's GET de-duplication per request only), production mode.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { RESTDataSource } from '@apollo/datasource-rest';

interface Upstream {
  result: { stampIdx: number; stamps: number; maxStamps: number; activeYn: string; userId: string };
}

class StampAPI extends RESTDataSource {
  override baseURL = process.env.UPSTREAM_URL;

  override willSendRequest(_path: string, request: { headers: Record<string, string> }) {
    request.headers.authorization = `APIKey ${process.env.UPSTREAM_KEY}`;
    request.headers['user-agent'] = 'StampGatewayBench/1.0';
    request.headers.accept = 'application/json';
  }

  async stamp(stampIdx: number) {
    const { result } = await this.get<Upstream>('api/stamp/v1/validate', { params: { stampIdx: String(stampIdx) } });
    return {
      stampIdx: result.stampIdx,
      stamps: result.stamps,
      maxStamps: result.maxStamps,
      active: result.activeYn === 'Y',
      user: { id: result.userId },
    };
  }
}

interface Context {
  dataSources: { stamps: StampAPI };
}

const server = new ApolloServer<Context>({
  typeDefs: /* GraphQL */ `
    type User { id: String! }
    type Stamp { stampIdx: Int! stamps: Int! maxStamps: Int! active: Boolean! user: User! }
    type Query { stamp(stampIdx: Int!): Stamp }
  `,
  resolvers: {
    Query: { stamp: (_: unknown, args: { stampIdx: number }, ctx: Context) => ctx.dataSources.stamps.stamp(args.stampIdx) },
  },
});

const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: async () => ({ dataSources: { stamps: new StampAPI() } }),
});
console.log(`apollo peer listening on ${url.replace(/\/$/, '')}`);
