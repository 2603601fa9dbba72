// The cashier's view: find a customer's cards (stampsOfUser), add a stamp, redeem a full card.
import { stampClient } from '../client.js';
import { AddStampDocument, RedeemStampDocument, StampsOfUserDocument, type StampsOfUserQuery } from '../gql/graphql.js';
import { connect, describeError, el, holes } from './render.js';

type Card = StampsOfUserQuery['stampsOfUser']['stamps'][number];

const form = document.querySelector<HTMLFormElement>('#find')!;
const userInput = document.querySelector<HTMLInputElement>('#userId')!;
const cardsEl = document.querySelector<HTMLElement>('#cards')!;
const messageEl = document.querySelector<HTMLElement>('#message')!;

const say = (text: string, kind: 'ok' | 'error' = 'ok') => {
  messageEl.textContent = text;
  messageEl.dataset.kind = kind;
};

const { gatewayUrl, token } = await connect({ staff: 'cashier' });
const { client } = stampClient({ url: gatewayUrl, token });

function cardView(card: Card): HTMLElement {
  const add = el('button', { type: 'button', textContent: 'Add stamp', className: 'add' });
  const redeem = el('button', { type: 'button', textContent: 'Redeem reward', className: 'redeem' });
  const password = el('input', { type: 'password', placeholder: 'Staff password' });
  add.disabled = card.complete;
  redeem.disabled = !card.complete;
  // One key per tap: a retry of the same tap (a lost answer) is never applied twice.
  add.addEventListener('click', async () => {
    add.disabled = true;
    const result = await client.mutation(AddStampDocument, { stampIdx: card.stampIdx, idempotencyKey: crypto.randomUUID() }).toPromise();
    if (result.error) {
      say(describeError(result.error), 'error');
      add.disabled = false;
      return;
    }
    const stamp = result.data!.addStamp.stamp!;
    say(`Stamped card ${card.stampIdx}: ${stamp.stamps} / ${stamp.maxStamps}`);
    replace({ ...card, stamps: stamp.stamps, complete: stamp.complete });
  });
  redeem.addEventListener('click', async () => {
    redeem.disabled = true;
    const result = await client
      .mutation(RedeemStampDocument, {
        stampIdx: card.stampIdx,
        onsitePassword: card.onsiteApproval ? password.value : null,
        idempotencyKey: crypto.randomUUID(),
      })
      .toPromise();
    if (result.error) {
      say(describeError(result.error), 'error');
      redeem.disabled = false;
      return;
    }
    say(`Reward redeemed on card ${card.stampIdx}`);
    cardsEl.querySelector(`[data-stamp-idx="${card.stampIdx}"]`)?.remove();
  });
  return el(
    'section',
    { className: 'card', data: { stampIdx: String(card.stampIdx), stamps: String(card.stamps) } },
    el('h2', { textContent: `${card.cardName ?? 'Stamp card'} · #${card.stampIdx}` }),
    holes(card.stamps, card.maxStamps),
    el('p', { className: 'count', textContent: `${card.stamps} / ${card.maxStamps}` }),
    add,
    ...(card.onsiteApproval ? [password] : []),
    redeem,
  );
}

function replace(card: Card): void {
  cardsEl.querySelector(`[data-stamp-idx="${card.stampIdx}"]`)?.replaceWith(cardView(card));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const userId = userInput.value.trim();
  const result = await client.query(StampsOfUserDocument, { userId }).toPromise();
  if (result.error) return say(describeError(result.error), 'error');
  const cards = result.data!.stampsOfUser.stamps;
  cardsEl.replaceChildren(...cards.map(cardView));
  say(cards.length ? `${cards.length} card(s) for ${userId}` : `No cards known for ${userId}`);
});
