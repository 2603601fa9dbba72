import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('runs in sandbox mode with no key, on port 4000 and this machine only', () => {
    expect(loadConfig({})).toMatchObject({
      mode: 'sandbox',
      port: 4000,
      host: '127.0.0.1',
      upstream: { timeoutMs: 10_000 },
      dataDir: './.data',
    });
  });

  it('refuses to start with a stamp API key and no callers configured, unless auth is deliberately off', () => {
    expect(() => loadConfig({ STAMP_API_KEY: 'k' })).toThrow(/no callers are configured/);
    expect(loadConfig({ STAMP_API_KEY: 'k', GATEWAY_AUTH: 'off' }).auth.mode).toBe('off');
    expect(loadConfig({}).auth.mode).toBe('local-admin');
  });

  it('turns GraphiQL and introspection off in production unless enabled', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).security).toMatchObject({ graphiql: false, introspection: false });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'true' }).security).toMatchObject({
      graphiql: true,
      introspection: true,
    });
  });

  it('calls the real stamp API when a key is set', () => {
    expect(loadConfig({ STAMP_API_KEY: 'k', UPSTREAM_TIMEOUT_MS: '2500', JWT_SECRET: 'x'.repeat(32) })).toMatchObject({
      auth: { mode: 'enforced' },
      mode: 'upstream',
      host: '0.0.0.0',
      upstream: { url: 'https://vivoldi.com', apiKey: 'k', timeoutMs: 2500 },
    });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc', UPSTREAM_TIMEOUT_MS: '-1', STAMP_API_URL: 'ftp://x' })).toThrow(
      /PORT[\s\S]*STAMP_API_URL[\s\S]*UPSTREAM_TIMEOUT_MS|PORT[\s\S]*UPSTREAM_TIMEOUT_MS[\s\S]*STAMP_API_URL/,
    );
    expect(() => loadConfig({ STAMP_API_URL: 'https://stamps.example.com' })).toThrow(/STAMP_API_KEY/);
  });

  it('names the variable and the rule, never the value of a secret', () => {
    const cases: Array<[Record<string, string>, RegExp, string]> = [
      [{ JWT_SECRET: 'short-secret-value' }, /JWT_SECRET: must be at least 32 characters/, 'short-secret-value'],
      [
        { DATABASE_URL: 'mysql://user:hunter2-password@db/x' },
        /DATABASE_URL: must be a postgres:\/\/ connection string/,
        'hunter2-password',
      ],
      [{ STAMP_API_URL: 'ftp://k3y-in-url@x', STAMP_API_KEY: 'sk_live_secret' }, /STAMP_API_URL/, 'sk_live_secret'],
    ];
    for (const [env, rule, secret] of cases) {
      let message = '';
      try {
        loadConfig(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(rule);
      expect(message).not.toContain(secret);
    }
  });

  it('stops the process at start-up with one log line that names the variable', async () => {
    const { code, stdout, stderr } = await run(['--import', 'tsx', 'src/server.ts'], { PORT: 'not-a-port', JWT_SECRET: 'short-secret' });
    expect(code).toBe(1);
    // Logs are pino JSON lines on stdout only.
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(60);
    expect(lines[0]!.msg).toMatch(/PORT/);
    expect(lines[0]!.msg).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(stdout).not.toMatch(/\n\s+at |short-secret/);
  });
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
