// `npm run token -- --customer demo-alice` (or `--staff <name>`): a JWT for local tests, accepted by a
// gateway in sandbox mode. Refuses with STAMP_API_KEY set: tokens for a real stamp account come from
// your identity provider, never from here.
import { parseArgs } from 'node:util';
import { devJwtSecret, devSecretFile, mintDevToken } from '../auth/dev-tokens.js';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

if (process.env.STAMP_API_KEY) fail('npm run token: refused, STAMP_API_KEY is set. Development tokens are for sandbox mode only.');
let values: { customer?: string; staff?: string; hours?: string };
try {
  ({ values } = parseArgs({ options: { customer: { type: 'string' }, staff: { type: 'string' }, hours: { type: 'string' } } }));
} catch (error) {
  fail(`npm run token: ${(error as Error).message}\nUsage: npm run token -- --customer <user id> | --staff <name> [--hours 12]`);
}
const { customer, staff, hours = '12' } = values!;
if (Boolean(customer) === Boolean(staff)) fail('Usage: npm run token -- --customer <user id> | --staff <name> [--hours 12]');
const who = (customer ?? staff)!;
if (!/^[^\p{Cc}\p{Cs}]{1,256}$/u.test(who)) fail('npm run token: the id must be 1 to 256 printable characters');
const lifetimeH = Number(hours);
if (!Number.isFinite(lifetimeH) || lifetimeH <= 0 || lifetimeH > 24) fail('npm run token: --hours must be more than 0 and at most 24');
// The gateway's own key when one is configured; else the sandbox's development secret under DATA_DIR.
const secret = process.env.JWT_SECRET || devJwtSecret(process.env.DATA_DIR || './.data');
const token = await mintDevToken(secret, customer ? { customer } : { staff: staff! }, Math.round(lifetimeH * 3600));
process.stdout.write(`${token}\n`);
if (!process.env.JWT_SECRET) {
  process.stderr.write(
    `A ${customer ? `customer token for ${customer} (stamps:read, own stamps only)` : `staff token for ${staff}`}, valid ${lifetimeH} h, signed with ${devSecretFile(process.env.DATA_DIR || './.data')}.\nSend it as: Authorization: Bearer <token>\n`,
  );
}
