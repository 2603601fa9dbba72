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
