import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('the shape of the source', () => {
  it('builds GraphQL errors in the error module only', () => {
    const offenders = files(join(root, 'src'))
      .filter((file) => /new GraphQLError\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual(['src/errors.ts']);
  });

  it('keeps benchmark figures out of code comments (they live in the README and the results files)', () => {
    const offenders = files(join(root, 'src')).filter((file) =>
      /~?\d+(\.\d+)?\s?(µs|ms of CPU)\b|~\d+% of/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
