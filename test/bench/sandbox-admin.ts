/** The benchmark's way to the sandbox: its API key, User-Agent, headers, and its admin routes. */
export const KEY = 'sandbox-dev-key';
const UA = 'StampGatewayBench/1.0';
export const apiHeaders = { authorization: `APIKey ${KEY}`, 'user-agent': UA, 'content-type': 'application/json' };

/** A call to the sandbox's admin API (`/__sandbox/...`), returning its envelope's result. */
export async function admin(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}/__sandbox${path}`, {
    method,
    headers: apiHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return ((await res.json()) as { result: unknown }).result;
}

/** `n` stamps on a new card of 100 (the batch, write and mix rows), their ids in order. */
export async function createBenchStamps(base: string, n = 1000): Promise<number[]> {
  const cardIdx = await admin(base, 'POST', '/cards', { cardNm: 'Bench', maxStamps: 100 });
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/api/stamp/v1/create`, {
      method: 'POST',
      headers: apiHeaders,
      body: JSON.stringify({ cardIdx, strtYmd: '2020-01-01', endYmd: '2030-12-31', userId: `bench-${i}` }),
    });
    ids.push(((await res.json()) as { result: number }).result);
  }
  return ids;
}

/** The write row's requests: `adjustStampCount` by one on each stamp in turn. */
export const adjustBodies = (ids: number[]) =>
  ids.map((i) =>
    JSON.stringify({ query: 'mutation($i: Int!) { adjustStampCount(input: {stampIdx: $i, delta: 1}) { newStamps } }', variables: { i } }),
  );
