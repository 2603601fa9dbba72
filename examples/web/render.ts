// DOM helpers of the example pages: text only (names come from the stamp service, never as HTML).
import type { CombinedError } from '@urql/core';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<'className' | 'textContent' | 'type' | 'placeholder', string>> & { data?: Record<string, string> } = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  const { data, ...rest } = props;
  Object.assign(node, rest);
  for (const [key, value] of Object.entries(data ?? {})) node.dataset[key] = value;
  node.append(...children);
  return node;
}

/** A card's holes: filled for each stamp collected. */
export function holes(stamps: number, maxStamps: number): HTMLElement {
  const row = el('div', { className: 'holes' });
  for (let i = 0; i < maxStamps; i++) row.append(el('span', { className: i < stamps ? 'hole stamped' : 'hole' }));
  return row;
}

/** What went wrong, in the gateway's words: its stable code, then its message. */
export function describeError(error: CombinedError): string {
  const first = error.graphQLErrors[0];
  if (first) return `${String(first.extensions?.code ?? 'ERROR')}: ${first.message}`;
  return error.networkError ? `The gateway cannot be reached (${error.networkError.message})` : error.message;
}

/** The example server's settings and a development token (sandbox mode only). */
export async function connect(who: { customer: string } | { staff: string }): Promise<{ gatewayUrl: string; token: string }> {
  const { gatewayUrl } = (await (await fetch('/config.json')).json()) as { gatewayUrl: string };
  const query = 'customer' in who ? `customer=${encodeURIComponent(who.customer)}` : `staff=${encodeURIComponent(who.staff)}`;
  const res = await fetch(`/dev/token?${query}`);
  if (!res.ok) throw new Error(await res.text());
  const { token } = (await res.json()) as { token: string };
  return { gatewayUrl, token };
}
