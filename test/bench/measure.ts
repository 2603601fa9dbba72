import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in microseconds, from /proc. */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1e6;
}

/** Resident memory of a process, in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D/g, '')) * 1024;
}

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
  /** Requests per second; omit for as fast as it goes. */
  rate?: number;
  /** The process whose CPU and memory are measured. */
  pid: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
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
    ...(spec.rate ? { overallRate: spec.rate } : {}),
    ...(spec.bodies
      ? { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: spec.bodies![i++ % spec.bodies!.length] }) }] }
      : {}),
  } as autocannon.Options);
}

/** Warms up, then measures a fixed time: throughput, latency, and the target process's CPU and peak RSS. */
export async function measure(spec: LoadSpec): Promise<LoadResult> {
  if (spec.warmupSeconds > 0) await fire(spec, spec.warmupSeconds);
  const cpuBefore = cpuMicros(spec.pid);
  let peak = rssBytes(spec.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(spec.pid))), 100);
  const result = await fire(spec, spec.seconds);
  clearInterval(sampler);
  const cpu = cpuMicros(spec.pid) - cpuBefore;
  const requests = result.requests.total;
  return {
    requests,
    rps: Math.round(requests / spec.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMicrosPerRequest: requests ? Math.round(cpu / requests) : 0,
    peakRssMb: Math.round((peak / 2 ** 20) * 10) / 10,
  };
}

/** Sends exactly `amount` requests (no measurement): for memory checks after a known request count. */
export async function runCount(spec: Pick<LoadSpec, 'url' | 'method' | 'headers' | 'body' | 'connections'> & { amount: number }): Promise<void> {
  await autocannon({ url: spec.url, method: spec.method ?? 'GET', headers: spec.headers, body: spec.body, connections: spec.connections, amount: spec.amount } as autocannon.Options);
}
