import { describe, expect, it } from 'vitest';
import { UpstreamGuard, UpstreamShedError } from '../../src/upstream/guard.js';

describe('the quota windows of the upstream guard', () => {
  it('admits exactly the plan per minute and per hour, across many calls and the window sliding', async () => {
    let now = 1_000_000;
    const guard = new UpstreamGuard({ perMinute: 100, perHour: 150, maxQueueWaitMs: 0, now: () => now });
    const send = () => guard.acquire('validate', now + 10_000);
    const refusal = async () => {
      const error = await send().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamShedError);
      return error as UpstreamShedError;
    };

    for (let i = 0; i < 100; i++, now++) await send();
    expect((await refusal()).retryAfter).toBe(60); // the first call leaves the minute in ~60 s
    expect(guard.quota()).toMatchObject({ minuteUsed: 100, minuteLeft: 0, hourUsed: 100, hourLeft: 50 });

    // The first 50 calls leave the minute: 50 more, then the minute is full again.
    now = 1_000_000 + 60_000 + 49;
    expect(guard.quota()).toMatchObject({ minuteUsed: 50, hourUsed: 100 });
    for (let i = 0; i < 50; i++) await send();
    await refusal();

    // Two minutes on, the minute is empty but the hour holds 150 calls: refused until the hour frees one.
    now += 120_000;
    expect(guard.quota()).toMatchObject({ minuteUsed: 0, hourUsed: 150, hourLeft: 0 });
    expect((await refusal()).retryAfter).toBeGreaterThan(3_300);
    now = 1_000_000 + 3_600_000;
    await send();
    expect(guard.quota()).toMatchObject({ minuteUsed: 1, hourUsed: 150 });
  });
});
