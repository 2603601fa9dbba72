import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs a script that logs `n` lines through the gateway's logger and exits at once; returns its stdout lines. */
function linesOf(n: number, exit: 'exit' | 'return'): string[] {
  const script = `
    import { createLogger } from './src/logger.ts';
    const log = createLogger('info');
    for (let i = 0; i < ${n}; i++) log.info({ i, requestId: 'r-' + i, note: 'é…\\u{1F600}' }, 'graphql operation');
    ${exit === 'exit' ? 'process.exit(0);' : ''}
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(run.status).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

describe('the log on stdout', () => {
  it('writes every line buffered when the process exits, whole and in order (one line, a few, thousands)', () => {
    for (const n of [1, 12, 3_000]) {
      for (const exit of ['exit', 'return'] as const) {
        const lines = linesOf(n, exit);
        expect(lines, `${n} lines, ${exit}`).toHaveLength(n);
        for (const [i, line] of lines.entries()) {
          expect(JSON.parse(line)).toMatchObject({ i, msg: 'graphql operation', note: 'é…\u{1F600}' });
        }
      }
    }
  });
});
