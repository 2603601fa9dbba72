// `npm run index-stamps -- FILE`: backfills the gateway's index of stamp → user (myStamps,
// stampsOfUser) with stamps made elsewhere. FILE holds stampIdx values (separated by line breaks,
// spaces or commas; `#` starts a comment; `-` reads standard input). Each stamp is read through the
// gateway's own `stamps` query, in batches of 100, so the reads take the gateway's quota like any
// caller's and wait when it says to (RATE_LIMITED, UPSTREAM_RATE_LIMITED: extensions.retryAfter).
//
// GATEWAY_URL (default http://127.0.0.1:$PORT, PORT 4000) and GATEWAY_TOKEN (a staff token with
// stamps:read; none in sandbox mode, where requests without a token act as the local administrator).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const BATCH = 100;
const MAX_IDX = 2_147_483_647;
const MAX_IDS = 1_000_000;
const MAX_WAITS = 60;
const QUERY = 'query IndexStamps($stampIdxs: [Int!]!) { stamps(stampIdxs: $stampIdxs) { stampIdx user { id } } }';

const usage = 'Usage: npm run index-stamps -- FILE [--url http://127.0.0.1:4000] (GATEWAY_TOKEN in the environment)';
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

/** The ids of a file, or the lines that are not ids (all of them, so a bad file is fixed in one go). */
function parseStampIdxs(text: string): { idxs: number[]; bad: string[] } {
  const idxs = new Set<number>();
  const bad: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const token of line.replace(/#.*/, '').split(/[\s,]+/)) {
      if (token === '') continue;
      const n = /^\d{1,10}$/.test(token) ? Number(token) : Number.NaN;
      if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_IDX) idxs.add(n);
      else if (bad.length < 20) bad.push(`line ${i + 1}: ${JSON.stringify(token.slice(0, 40))} is not a stampIdx (1 to ${MAX_IDX})`);
      else if (bad.length === 20) bad.push('…');
    }
  });
  return { idxs: [...idxs], bad };
}

interface Answer {
  data?: { stamps?: Array<{ stampIdx: number; user: { id: string } } | null> };
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string; retryAfter?: number } }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: { url: { type: 'string' } }; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ options: { url: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    return fail(`npm run index-stamps: ${(error as Error).message}\n${usage}`);
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) return fail(usage);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    return fail(`npm run index-stamps: cannot read ${file}: ${(error as Error).message}`);
  }
  const { idxs, bad } = parseStampIdxs(text);
  if (bad.length > 0) return fail(`npm run index-stamps: nothing read, ${file} has values that are not stamp ids:\n  ${bad.join('\n  ')}`);
  if (idxs.length > MAX_IDS) return fail(`npm run index-stamps: at most ${MAX_IDS} stamps a run; split the file`);
  const base = (parsed.values.url ?? process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}`).replace(/\/+$/, '');
  const endpoint = base.endsWith('/graphql') ? base : `${base}/graphql`;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    return fail(`npm run index-stamps: ${JSON.stringify(base.slice(0, 200))} is not an http(s) URL of the gateway`);
  }
  const token = process.env.GATEWAY_TOKEN;
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };

  let indexed = 0;
  let notShown = 0;
  const failed = new Map<number, string>();
  for (let i = 0; i < idxs.length; i += BATCH) {
    let batch = idxs.slice(i, i + BATCH);
    for (let waits = 0; batch.length > 0; ) {
      let res: Response;
      try {
        res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query: QUERY, variables: { stampIdxs: batch } }) });
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
        return fail(`npm run index-stamps: cannot reach the gateway at ${endpoint} (${cause}); set GATEWAY_URL or --url`);
      }
      const answer = (await res.json().catch(() => ({}))) as Answer;
      const whole = answer.errors?.find((e) => !e.path || e.path.length < 2);
      if (!answer.data?.stamps) {
        const code = whole?.extensions?.code ?? `HTTP ${res.status}`;
        return fail(`npm run index-stamps: the gateway refused (${code}): ${whole?.message ?? res.statusText}`);
      }
      const retry: number[] = [];
      let waitS = 0;
      for (const [position, stamp] of answer.data.stamps.entries()) {
        const idx = batch[position]!;
        if (stamp) {
          indexed++;
          continue;
        }
        const error = answer.errors?.find((e) => e.path?.[1] === position);
        const code = error?.extensions?.code;
        if (code === 'STAMP_UNAVAILABLE') notShown++;
        else if ((code === 'RATE_LIMITED' || code === 'UPSTREAM_RATE_LIMITED' || code === 'UPSTREAM_UNAVAILABLE') && waits < MAX_WAITS) {
          retry.push(idx);
          waitS = Math.max(waitS, error?.extensions?.retryAfter ?? 5);
        } else failed.set(idx, `${code ?? 'error'}: ${error?.message ?? 'no answer'}`);
      }
      batch = retry;
      if (retry.length > 0) {
        waits++;
        process.stderr.write(`  ${retry.length} reads wait ${waitS} s for the quota…\n`);
        await sleep(Math.min(waitS, 300) * 1000);
      }
    }
    process.stderr.write(`${Math.min(i + BATCH, idxs.length)}/${idxs.length} read\n`);
  }
  process.stdout.write(
    `${indexed} stamps indexed, ${notShown} not shown by the stamp service (redeemed, expired, inactive or deleted), ${failed.size} failed\n`,
  );
  for (const [idx, why] of [...failed].slice(0, 20)) process.stdout.write(`  ${idx}: ${why}\n`);
  if (failed.size > 0) process.exitCode = 1;
}

await main();
