import { z } from 'zod';
import { builder, type GatewayContext } from '../builder.js';
import { GatewayError } from '../errors.js';
import { STAMP_ACTIONS, type StampChange as StampChangeShape } from '../stamps/changes.js';
import { followStamps, MAX_FOLLOWED_STAMPS } from '../stamps/follow.js';
import { stampIdxSchema } from './inputs.js';
import { requires } from './scopes.js';
import { Stamp } from './stamp.js';

/** Changes kept for a subscriber that reads slowly; older ones are dropped first. */
const SUBSCRIBER_BUFFER = 100;

const StampAction = builder.enumType('StampAction', {
  description: 'What happened to a stamp.',
  values: Object.fromEntries(STAMP_ACTIONS.map((a) => [a, {}])) as Record<(typeof STAMP_ACTIONS)[number], object>,
});

const ChangeSource = builder.enumType('ChangeSource', {
  description: 'Where a change was heard.',
  values: {
    GATEWAY: { description: 'A mutation through any instance of this gateway.' },
    WEBHOOK: {
      description:
        "The stamp service's webhook: a change made outside the gateway (the dashboard, another integration) or by the stamp service itself.",
    },
  },
});

const StampChange = builder.objectRef<StampChangeShape>('StampChange').implement({
  description: 'One change of a stamp, as every subscriber of that stamp gets it once.',
  fields: (t) => ({
    stampIdx: t.exposeInt('stampIdx', { description: 'The stamp that changed.' }),
    action: t.field({ type: StampAction, description: 'What happened.', resolve: (c) => c.action }),
    source: t.field({ type: ChangeSource, description: 'Where the change was heard.', resolve: (c) => c.source }),
    at: t.field({ type: 'DateTime', description: 'When the change was recorded.', resolve: (c) => c.at }),
    eventId: t.exposeString('eventId', {
      nullable: true,
      description: "The webhook's Event-Id, or the id of the gateway's history entry of the mutation.",
    }),
    stamp: t.field({
      type: Stamp,
      nullable: true,
      description:
        'The state after the change, read once per change in each instance and shared by its subscribers; null when the stamp service no longer shows the stamp (deleted, redeemed, expired).',
      resolve: (c) => c.stamp(),
    }),
  }),
});

/**
 * A subscription's events as an async iterator: bounded (a subscriber that reads slowly loses its
 * oldest events first), ended by the domain (its last event may be the error that ended it) or by the
 * client (return(), which stops following at once).
 */
class ChangeStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private done = false;
  stop: () => void = () => undefined;

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value, done: false });
      return;
    }
    this.queue.push(value);
    if (this.queue.length > SUBSCRIBER_BUFFER) this.queue.shift();
  }

  /** No more events: those queued are still delivered. */
  finish(): void {
    this.done = true;
    if (this.waiting && !this.queue.length) {
      this.waiting({ value: undefined, done: true });
      this.waiting = undefined;
    }
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.done = true;
    this.queue.length = 0;
    this.stop();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** Follows the stamps for this request's caller; refusals (scope, visibility, limits) are thrown before any event. */
async function changesOf(ctx: GatewayContext, stampIdxs: number[]): Promise<AsyncIterable<StampChangeShape | GatewayError>> {
  const stream = new ChangeStream<StampChangeShape | GatewayError>();
  stream.stop = await followStamps(ctx.stamps, stampIdxs, {
    change: (change) => stream.push(change),
    end: (error) => {
      if (error) stream.push(error);
      stream.finish();
    },
  });
  return stream;
}

const passOn = (change: StampChangeShape | GatewayError): StampChangeShape => {
  // The error that ended the stream reaches the client as the last event's error.
  if (change instanceof GatewayError) throw change;
  return change;
};

builder.subscriptionType({
  description:
    'Live changes of stamps, over SSE (`Accept: text/event-stream`) or WebSocket (graphql-transport-ws) on /graphql. Every mutation through any instance and every webhook from the stamp service is one event.',
  fields: (t) => ({
    stampChanged: t.field({
      type: StampChange,
      ...requires(
        'stamps:read',
        'Every change of one stamp, from now on. A customer token may follow only its own stamps. The stream ends when the token expires.',
      ),
      args: { stampIdx: t.arg.int({ required: true, description: "The stamp's id.", validate: stampIdxSchema }) },
      subscribe: (_, { stampIdx }, ctx) => changesOf(ctx, [stampIdx]),
      resolve: passOn,
    }),
    stampsChanged: t.field({
      type: StampChange,
      ...requires(
        'stamps:read',
        `Every change of any of these stamps (at most ${MAX_FOLLOWED_STAMPS}), from now on. A customer token may follow only its own stamps.`,
      ),
      args: {
        stampIdxs: t.arg.intList({
          required: true,
          description: `The stamps' ids (1 to ${MAX_FOLLOWED_STAMPS}).`,
          validate: z
            .array(stampIdxSchema)
            .min(1, 'must list at least one id')
            .max(MAX_FOLLOWED_STAMPS, `must list at most ${MAX_FOLLOWED_STAMPS} ids`),
        }),
      },
      subscribe: (_, { stampIdxs }, ctx) => changesOf(ctx, stampIdxs),
      resolve: passOn,
    }),
  }),
});
