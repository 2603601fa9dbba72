import { ZodError } from 'zod';
import type { UpstreamCallRecord, UpstreamClient } from './client.js';
import type { Endpoint } from './endpoints.js';
import { UpstreamBadResponseError, UpstreamError } from './errors.js';
import {
  type Stamp,
  type StampFields,
  stampFieldsToUpstream,
  stampFromUpstream,
  stampIdxFromCreateResult,
  type UpdateFields,
} from './mapping.js';

/**
 * One typed function per stamp API endpoint, for one gateway request (its request id travels upstream).
 * Every method throws only UpstreamError subclasses.
 */
/**
 * Told about every change call (create, update, add, remove, redeem, delete): before it is sent (it may
 * refuse, by throwing, and then nothing is sent) and how it ended.
 */
export interface ChangeGate {
  beforeChange(endpoint: Endpoint): Promise<void>;
  afterChange(endpoint: Endpoint, outcome: 'APPLIED' | 'NOT_APPLIED' | 'UNKNOWN'): void;
}

export class StampApi {
  /** Every call this request made, in order: the change history records them. */
  readonly calls: UpstreamCallRecord[];
  /** The mutation running in this request, which records each change before it is sent. */
  gate: ChangeGate | undefined;
  private reportedHere = false;

  constructor(
    private readonly client: UpstreamClient,
    private readonly requestId?: string,
    /** Epoch ms by which the gateway's caller needs an answer. */
    private readonly deadline?: number,
    /** Who the calls are for (their share of the quota). */
    private readonly caller?: { id: string; share?: number },
    /** The request's main StampApi, when this one calls for the same request on another share of the quota. */
    private readonly main?: StampApi,
  ) {
    this.calls = main ? main.calls : [];
  }

  /** This request's log line lists its calls (a query or a mutation), so they need no lines of their own. */
  get reported(): boolean {
    return this.main ? this.main.reported : this.reportedHere;
  }

  set reported(value: boolean) {
    this.reportedHere = value;
  }

  private call(endpoint: Endpoint, options: { searchParams?: Record<string, number>; json?: Record<string, unknown> }) {
    return this.client.call(endpoint, {
      ...options,
      requestId: this.requestId,
      deadline: this.deadline,
      caller: this.caller,
      reported: this.reported,
      onDone: (record) => this.calls.push(record),
    });
  }

  /** A change call: the gate hears of it before it is sent and how it ended. */
  private async change(
    endpoint: Endpoint,
    options: { searchParams?: Record<string, number>; json?: Record<string, unknown> },
  ): Promise<unknown> {
    const gate = this.gate;
    await gate?.beforeChange(endpoint);
    try {
      const result = await this.call(endpoint, options);
      gate?.afterChange(endpoint, 'APPLIED');
      return result;
    } catch (error) {
      gate?.afterChange(endpoint, error instanceof UpstreamError ? error.outcome : 'UNKNOWN');
      throw error;
    }
  }

  /**
   * The stamp with its card, when it passes validate's four checks (exists, in its window, active,
   * not redeemed). Throws UpstreamRejectedError when it does not.
   */
  async validate(stampIdx: number): Promise<Stamp> {
    const result = await this.call('validate', { searchParams: { stampIdx } });
    try {
      return stampFromUpstream(result, new Date().toISOString());
    } catch (error) {
      if (error instanceof ZodError) {
        const fields = error.issues.map((i) => i.path.join('.')).join(', ');
        throw new UpstreamBadResponseError('validate', `the stamp has missing or mistyped fields (${fields})`, { cause: error });
      }
      throw error;
    }
  }

  /** Issues a stamp and returns its stampIdx. A result that is no stampIdx is UpstreamBadResponseError. */
  async create(fields: StampFields & { cardIdx: number; startDate: string; endDate: string }): Promise<number> {
    const result = await this.change('create', { json: stampFieldsToUpstream(fields) });
    const stampIdx = stampIdxFromCreateResult(result);
    if (stampIdx === undefined) {
      const shown = typeof result === 'string' ? `"${result.slice(0, 40)}"` : JSON.stringify(result)?.slice(0, 40);
      throw new UpstreamBadResponseError('create', `the result ${shown} is not a stampIdx; a stamp may have been issued`);
    }
    return stampIdx;
  }

  /** Sets the given fields (absolute values); `resetPin` clears the customer's PIN. */
  async update(stampIdx: number, fields: UpdateFields, options: { resetPin?: boolean } = {}): Promise<void> {
    const json = { stampIdx, ...stampFieldsToUpstream(fields), ...(options.resetPin ? { resetPinYn: 'Y' } : {}) };
    await this.change('update', { json });
  }

  async add(stampIdx: number): Promise<void> {
    await this.change('add', { json: { stampIdx } });
  }

  async remove(stampIdx: number): Promise<void> {
    await this.change('remove', { json: { stampIdx } });
  }

  async redeem(stampIdx: number, onsitePassword?: string | null): Promise<void> {
    await this.change('redeem', { json: onsitePassword ? { stampIdx, onsitePwd: onsitePassword } : { stampIdx } });
  }

  async delete(stampIdx: number): Promise<void> {
    await this.change('delete', { searchParams: { stampIdx } });
  }
}
