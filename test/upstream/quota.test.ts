import { describe, expect, it } from 'vitest';
import { UpstreamShedError } from '../../src/upstream/errors.js';
import { Quota } from '../../src/upstream/quota.js';

describe('the quota windows', () => {
  it('admits exactly the plan per minute and per hour, across many calls and the window sliding', async () => {
    let now = 1_000_000;
    const quota = new Quota({ perMinute: 100, perHour: 150, maxQueueWaitMs: 0, callerShare: 1, now: () => now });
    const send = () => quota.acquire('validate', now + 10_000);
    const refusal = async () => {
      const error = await send().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UpstreamShedError);
      return error as UpstreamShedError;
    };

    for (let i = 0; i < 100; i++, now++) await send();
    expect((await refusal()).retryAfter).toBe(60); // the first call leaves the minute in ~60 s
    expect(await quota.usage()).toMatchObject({ minuteUsed: 100, minuteLeft: 0, hourUsed: 100, hourLeft: 50 });

    // The first 50 calls leave the minute: 50 more, then the minute is full again.
    now = 1_000_000 + 60_000 + 49;
    expect(await quota.usage()).toMatchObject({ minuteUsed: 50, hourUsed: 100 });
    for (let i = 0; i < 50; i++) await send();
    await refusal();

    // Two minutes on, the minute is empty but the hour holds 150 calls: refused until the hour frees one.
    now += 120_000;
    expect(await quota.usage()).toMatchObject({ minuteUsed: 0, hourUsed: 150, hourLeft: 0 });
    expect((await refusal()).retryAfter).toBeGreaterThan(3_300);
    now = 1_000_000 + 3_600_000;
    await send();
    expect(await quota.usage()).toMatchObject({ minuteUsed: 1, hourUsed: 150 });
  });
});
