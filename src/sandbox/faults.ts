import { z } from 'zod';
/** The stamp API's seven endpoints, as the sandbox serves them (the sandbox shares no code with the client). */
export const ENDPOINT_NAMES = ['create', 'validate', 'update', 'add', 'remove', 'redeem', 'delete'] as const;
export type Endpoint = (typeof ENDPOINT_NAMES)[number];

const FaultActionSchema = z.discriminatedUnion('type', [
  /** An HTTP status with no envelope: an HTML error page, an empty body or plain text. */
  z.object({
    type: z.literal('status'),
    status: z.number().int().min(400).max(599),
    body: z.enum(['html', 'empty', 'text']).default('html'),
    retryAfter: z.number().int().min(0).optional(),
  }),
  /** HTTP 200 with `code != 0`: a business refusal the caller did not expect. */
  z.object({
    type: z.literal('envelope'),
    code: z
      .number()
      .int()
      .refine((c) => c !== 0),
    message: z.string().default('Injected failure'),
  }),
  /** Added latency; the call then proceeds normally. */
  z.object({ type: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  /** Never answers; the connection stays open until the client gives up. */
  z.object({ type: z.literal('hang') }),
  /** Closes the connection without a response. */
  z.object({ type: z.literal('drop') }),
  /** Succeeds, but answers with this `result` instead (e.g. create's documented string example). */
  z.object({ type: z.literal('result'), result: z.unknown() }),
]);

export const FaultSpecSchema = z
  .object({
    endpoint: z.enum(['*', ...ENDPOINT_NAMES]),
    action: FaultActionSchema,
    /** Apply the change first, then fail: catches unsafe retries of non-idempotent calls. */
    applyFirst: z.boolean().default(false),
    /** How many matching calls it affects: a count, or 'always'. Default once. */
    times: z.union([z.number().int().min(1), z.literal('always')]).default(1),
    /** The chance that a matching call is affected (random faults for soak tests). Default 1. */
    probability: z.number().min(0).max(1).default(1),
  })
  // The API's contract: a refusal (`code != 0`, or a 4xx such as the 403 for a blocked User-Agent or
  // the 429 of the rate limit) means nothing was changed. Applying and then refusing is not a fault the
  // real service has, and no client could tell it from a refusal: applyFirst goes with the faults that
  // can follow processing (5xx, a dropped connection, a hang, a delay).
  .refine((f) => !(f.applyFirst && (f.action.type === 'envelope' || (f.action.type === 'status' && f.action.status < 500))), {
    message: 'applyFirst goes with 5xx, drop, hang or delay: a refusal (code != 0 or a 4xx) means nothing was changed',
    path: ['applyFirst'],
  });

export type FaultSpec = z.input<typeof FaultSpecSchema>;
export type FaultAction = z.output<typeof FaultActionSchema>;
export interface Fault extends z.output<typeof FaultSpecSchema> {
  id: number;
  /** How many calls it has affected so far. */
  hits: number;
}

/** The armed faults, consumed in the order they were added. */
export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Arms a fault; throws a ZodError for a malformed spec. */
  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...FaultSpecSchema.parse(spec), id: this.nextId++, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** The fault that applies to this call, counted as used; undefined when none. */
  take(endpoint: Endpoint): Fault | undefined {
    const fault = this.faults.find(
      (f) => (f.endpoint === endpoint || f.endpoint === '*') && (f.probability >= 1 || Math.random() < f.probability),
    );
    if (!fault) return undefined;
    fault.hits++;
    if (fault.times !== 'always' && fault.hits >= fault.times) {
      this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
