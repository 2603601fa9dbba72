import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Pool } from 'undici';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in microseconds, from /proc. */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
}

/** One of a process's memory figures in /proc/PID/status (given in kB), in bytes. */
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))!;
  return Number(line.replace(/\D/g, '')) * 1024;
}

/** Resident memory of a process, in bytes. */
export const rssBytes = (pid: number) => statusBytes(pid, 'VmRSS');

/** The most resident memory a process has had so far, in bytes. */
export const peakRssBytes = (pid: number) => statusBytes(pid, 'VmHWM');

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  /** Bodies to rotate through, one per request. */
  bodies?: string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /**
   * Requests per second, evenly spaced (open loop); omit for as fast as it goes. autocannon's own
   * rate limit sends each second's share in a burst at the start of the second, which measures
   * full-load latency for part of every second instead of latency at this rate.
   */
  rate?: number;
  /** The process whose CPU and memory are measured. */
  pid: number;
  /**
   * Whether an answer's body is a success: a GraphQL error comes with HTTP 200, so a row checks the
   * body too; answers that fail the check are counted (`answersWithErrors`). Default: no `"errors"` in it.
   */
  verifyBody?: (body: string) => boolean;
}

const noErrors = (body: string) => !body.includes('"errors"');

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests that failed: no answer, a transport error or a timeout. */
  errors: number;
  non2xx: number;
  /** 2xx answers whose body failed the check (a GraphQL error). */
  answersWithErrors: number;
  cpuMicrosPerRequest: number;
  peakRssMb: number;
}

function fire(spec: LoadSpec, seconds: number): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: seconds,
    verifyBody: spec.verifyBody ?? noErrors,
    ...(spec.bodies
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: spec.bodies![i++ % spec.bodies!.length] }) }] }
      : {}),
  } as autocannon.Options);
}

/**
 * Open-loop load at a steady rate: request n is due at start + n / rate and sent then, whatever the
 * answers before it are doing; its latency counts from when it was due (no coordinated omission).
 */
async function steady(spec: LoadSpec & { rate: number }, seconds: number): Promise<Load> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: 256, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let answersWithErrors = 0;
  const total = Math.round(spec.rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * spec.rate) + 1);
      for (; sent < due; sent++) {
        const dueAt = start + (sent / spec.rate) * 1000;
        pending.push(
          pool
            .request({ path: url.pathname + url.search, method: spec.method ?? 'GET', headers: spec.headers, body: spec.body })
            .then(async (res) => {
              const body = await res.body.text();
              if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
              else if (!(spec.verifyBody ?? noErrors)(body)) answersWithErrors++;
              latencies.push(performance.now() - dueAt);
            })
            .catch(() => void errors++),
        );
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return { requests: total, errors, non2xx, answersWithErrors, p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** What one load run saw, closed-loop or steady. */
type Load = Pick<LoadResult, 'requests' | 'p50Ms' | 'p99Ms' | 'errors' | 'non2xx' | 'answersWithErrors'>;

async function closedLoop(spec: LoadSpec, seconds: number): Promise<Load> {
  const result = await fire(spec, seconds);
  return {
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    answersWithErrors: result.mismatches,
  };
}

/** Warms up, then measures a fixed time: throughput, latency, and the target process's CPU and peak RSS. */
export async function measure(spec: LoadSpec): Promise<LoadResult> {
  const { rate } = spec;
  const load = (seconds: number) => (rate ? steady({ ...spec, rate }, seconds) : closedLoop(spec, seconds));
  if (spec.warmupSeconds > 0) await load(spec.warmupSeconds);
  const cpuBefore = cpuMicros(spec.pid);
  let peak = rssBytes(spec.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(spec.pid))), 100);
  const result = await load(spec.seconds);
  clearInterval(sampler);
  const cpu = cpuMicros(spec.pid) - cpuBefore;
  return {
    ...result,
    rps: Math.round(result.requests / spec.seconds),
    cpuMicrosPerRequest: result.requests ? Math.round(cpu / result.requests) : 0,
    peakRssMb: Math.round((peak / 2 ** 20) * 10) / 10,
  };
}

/** Sends exactly `amount` requests (no measurement): for memory checks after a known request count. */
export async function runCount(
  spec: Pick<LoadSpec, 'url' | 'method' | 'headers' | 'body' | 'connections'> & { amount: number },
): Promise<void> {
  await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    amount: spec.amount,
  } as autocannon.Options);
}
