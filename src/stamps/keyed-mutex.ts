/** The wait for a key's turn ended at the deadline given. */
export class MutexTimeoutError extends Error {
  override name = 'MutexTimeoutError' as const;
}

/**
 * Serialises work per key within this process: tasks for the same key run one after another, in
 * arrival order; different keys run in parallel. A task that cannot start before its deadline is
 * given up (MutexTimeoutError) and never runs. Holds no memory for idle keys.
 */
export class KeyedMutex<K> {
  private readonly tails = new Map<K, Promise<void>>();

  async run<T>(key: K, task: () => Promise<T>, until = Infinity): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      if (until === Infinity) await previous;
      else {
        let timer: NodeJS.Timeout | undefined;
        const gaveUp = await Promise.race([
          previous.then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, until - Date.now())))),
        ]);
        clearTimeout(timer);
        if (gaveUp) throw new MutexTimeoutError('the wait for this key ended at the deadline');
      }
      return await task();
    } finally {
      // Given up or done, this turn passes on: the next in line waits for `previous` then `mine`.
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
