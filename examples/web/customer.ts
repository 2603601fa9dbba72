// The customer's page: their punch cards (myStamps), kept live by the PunchCardChanged subscription.
import { stampClient } from '../client.js';
import { MyStampsDocument, PunchCardChangedDocument, type PunchCardFragment } from '../gql/graphql.js';
import { connect, describeError, el, holes } from './render.js';

const user = new URLSearchParams(location.search).get('user') ?? 'demo-alice';
const cardsEl = document.querySelector<HTMLElement>('#cards')!;
const liveEl = document.querySelector<HTMLElement>('#live')!;
const errorEl = document.querySelector<HTMLElement>('#error')!;
document.querySelector('#who')!.textContent = `Signed in as ${user}`;

const showError = (message: string) => {
  errorEl.hidden = false;
  errorEl.textContent = message;
};

const cards = new Map<number, PunchCardFragment>();

function render(): void {
  cardsEl.replaceChildren(
    ...[...cards.values()].map((card) =>
      el(
        'section',
        { className: 'card', data: { stampIdx: String(card.stampIdx), stamps: String(card.stamps) } },
        el('h2', { textContent: card.cardName ?? 'Stamp card' }),
        el('p', { className: 'muted', textContent: card.cardTitle ?? '' }),
        holes(card.stamps, card.maxStamps),
        el('p', { className: 'count', textContent: `${card.stamps} / ${card.maxStamps}` }),
        card.complete
          ? el('p', { className: 'complete', textContent: 'Full! Show this card at the counter for your reward.' })
          : el('p', { className: 'muted', textContent: `${card.remaining} to go · valid until ${card.endDate}` }),
      ),
    ),
  );
  if (cards.size === 0) cardsEl.replaceChildren(el('p', { className: 'muted', textContent: 'No stamp cards yet.' }));
}

try {
  const { gatewayUrl, token } = await connect({ customer: user });
  const { client } = stampClient({
    url: gatewayUrl,
    token,
    onLive: (live) => {
      liveEl.dataset.state = live ? 'live' : 'offline';
      liveEl.textContent = live ? 'live' : 'reconnecting…';
    },
  });
  const mine = await client.query(MyStampsDocument, { first: 50 }).toPromise();
  if (mine.error) throw new Error(describeError(mine.error));
  for (const card of mine.data?.myStamps.stamps ?? []) cards.set(card.stampIdx, card);
  render();
  if (cards.size > 0) {
    client.subscription(PunchCardChangedDocument, { stampIdxs: [...cards.keys()] }).subscribe((result) => {
      if (result.error) return showError(describeError(result.error));
      const change = result.data?.stampsChanged;
      if (!change) return;
      // A card the stamp service no longer shows (redeemed, expired) leaves the page.
      if (change.stamp) cards.set(change.stampIdx, change.stamp);
      else cards.delete(change.stampIdx);
      render();
    });
  }
} catch (error) {
  showError((error as Error).message);
}
