import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import type { Scope } from './authentication.js';

/**
 * Sandbox mode's development tokens: a JWT secret kept under DATA_DIR (made on first use, readable by
 * this user only), which a gateway in sandbox mode accepts when no JWT key is configured, and with
 * which `npm run token` signs customer and staff tokens for local tests. Never used with a real
 * STAMP_API_KEY.
 */
export function devSecretFile(dataDir: string): string {
  return join(dataDir, 'dev-jwt-secret');
}

/** The development JWT secret under `dataDir`, made when missing (two processes at once agree on one). */
export function devJwtSecret(dataDir: string): string {
  const file = devSecretFile(dataDir);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

/** A token for local tests: a customer's (`stamps:read`, sees its own stamps) or a staff member's. */
export function mintDevToken(secret: string, who: { customer: string } | { staff: string }, lifetimeS = 12 * 3600): Promise<string> {
  const scopes: Scope[] = 'customer' in who ? ['stamps:read'] : ['stamps:read', 'stamps:write', 'stamps:redeem'];
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('customer' in who ? who.customer : who.staff)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeS)
    .sign(new TextEncoder().encode(secret));
}
