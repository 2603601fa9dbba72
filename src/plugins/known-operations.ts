import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
  BREAK,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { sendNodeResponse } from '@whatwg-node/server';
import { type Plugin, processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { type GatewayContext, releaseRequestCaches } from '../builder.js';
import { errorResponse, errors, locatedAt } from '../errors.js';
import { settleExecutionResult } from './use-error-codes.js';
import { type OperationRecord, operationOf } from './use-operation-records.js';
import { requestIdFrom } from './use-request-id.js';

/** The media types of a result that is not a stream, in yoga's order (graphql-yoga's use-result-processor.js). */
const REGULAR_TYPES = ['application/graphql-response+json', 'application/json'] as const;

/**
 * The media type yoga answers a single result with for this Accept header (graphql-yoga's accept.js and
 * use-result-processor.js: the first type the client lists that a regular result matches wins, the
 * later of the two when both do); undefined when yoga would pick another processor or refuse (406).
 */
export function regularMediaType(accept: string | undefined): string | undefined {
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',');
  let chosen: string | undefined;
  for (let i = asked.length - 1; i >= 0; i--) {
    const [mediaType = '', ...params] = asked[i]!.split(';');
    if ((params.find((p) => p.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    const [pre, suf] = mediaType.split('/');
    for (const type of REGULAR_TYPES) {
      const [typePre, typeSuf] = type.split('/');
      if ((pre === '*' || pre === typePre) && (suf === '*' || suf === typeSuf)) chosen = type;
    }
  }
  return chosen;
}

const PARAMS = new Set(['query', 'variables', 'operationName']);

interface KnownRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** The text of the persisted operation the extensions name (`persistedQuery`, version 1, and nothing else). */
function persistedText(extensions: unknown, persisted: ReadonlyMap<string, string>): string | undefined {
  if (extensions === null || typeof extensions !== 'object' || Array.isArray(extensions)) return undefined;
  const keys = Object.keys(extensions);
  if (keys.length !== 1 || keys[0] !== 'persistedQuery') return undefined;
  const query = (extensions as { persistedQuery?: unknown }).persistedQuery as { version?: unknown; sha256Hash?: unknown } | null;
  if (query === null || typeof query !== 'object' || query.version !== 1 || typeof query.sha256Hash !== 'string') return undefined;
  return persisted.get(query.sha256Hash);
}

/**
 * The body's GraphQL parameters when they are all plain (query, variables as an object, a non-empty
 * operation name; no extensions, nothing else); undefined for anything yoga should judge itself. With
 * persisted operations only an id in the allow-list is plain, never a document in the body.
 */
function plainParams(body: unknown, persisted: ReadonlyMap<string, string> | undefined): KnownRequest | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const params = body as Record<string, unknown>;
  for (const key in params) if (params[key] != null && !PARAMS.has(key) && !(persisted && key === 'extensions')) return undefined;
  const { variables, operationName } = params;
  const query = persisted ? (params.query == null ? persistedText(params.extensions, persisted) : undefined) : params.query;
  if (typeof query !== 'string') return undefined;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
  if (operationName != null && (typeof operationName !== 'string' || !operationName)) return undefined;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

/** A document yoga validated, and whether it holds one operation (so none needs naming). */
interface KnownDocument {
  document: DocumentNode;
  single: boolean;
}

export interface KnownOperationsOptions {
  schema: GraphQLSchema;
  /** Bodies above it go to yoga, whose body limit refuses them. */
  maxBodyBytes: number;
  /** The persisted operations' allow-list (id to document): then only ids take this path, as yoga allows only them. */
  persisted?: ReadonlyMap<string, string>;
  /** With CORS on, a request with an Origin header goes to yoga, which answers its CORS headers. */
  cors: boolean;
  /** The request's context, as yoga's context factory builds it (gateway.ts). */
  context(requestId: string, authorization: string | null, idempotencyKey: string | null): Promise<GatewayContext>;
  /** What yoga's result plugins do with a result: the metrics and the operation log line. */
  onResult(requestId: string, record: OperationRecord, result: ExecutionResult): void;
  /** An unexpected error, masked for the client (yoga's error log). */
  onUnexpected(error: unknown): void;
}

/** How many documents are remembered, and how many characters of them in all (yoga's own parse cache keeps 1,000). */
const KNOWN_MAX = 1_000;
const KNOWN_MAX_CHARS = 4_000_000;
/** How many compiled operations are kept: each is code, larger than its document. */
const KNOWN_PLANS = 200;

const OBJECT_PROPERTIES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Whether a document is plain enough to compile: no fragments and no directives, so each field of a
 * path is found by its name; no response key named like a property of every object; and no string
 * literal anywhere (arguments, defaults). graphql-jit writes a document's literal values into the code
 * it generates and turns a string that starts with its Date marker into `new Date(...)` code: a string
 * in a document could then run as code. Strings come as variables, which it never writes into code.
 */
function plain(document: DocumentNode): boolean {
  let plainDocument = true;
  const refuse = () => {
    plainDocument = false;
    return BREAK;
  };
  visit(document, {
    FragmentSpread: refuse,
    InlineFragment: refuse,
    FragmentDefinition: refuse,
    Directive: refuse,
    StringValue: refuse,
    // A response key that names a property of every object (`__proto__`, `constructor`): graphql-js
    // builds results on objects without a prototype, graphql-jit on plain ones.
    Field: (field) => (OBJECT_PROPERTIES.has((field.alias ?? field.name).value) ? refuse() : undefined),
  });
  return plainDocument;
}

/**
 * A field error with the nodes of its field in the document, as graphql-js reports it (graphql-jit
 * gives its locations only, which the error module cannot carry over).
 */
function located(error: GraphQLError, operation: OperationDefinitionNode): GraphQLError {
  if (error.nodes?.length || !error.path?.length) return error;
  let sets: SelectionSetNode[] = [operation.selectionSet];
  let nodes: FieldNode[] = [];
  for (const key of error.path) {
    if (typeof key === 'number') continue;
    nodes = sets.flatMap((set) => set.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD && (s.alias ?? s.name).value === key));
    sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  }
  return nodes.length ? locatedAt(error, nodes) : error;
}

/**
 * The known-operations path: a POST of a document yoga has already parsed and validated is executed
 * without going through yoga's request pipeline again, with the same context, execution, error codes
 * and masking, metrics, log line, `X-Request-Id` and response (status, media type and body, built by
 * yoga's own result processor). Everything else (a first document, GET, other content or accept types,
 * extensions other than a persisted operation's id, batches, subscriptions, an Origin with CORS on, a
 * refused token) goes to yoga unchanged,
 * also after its body was read. Validity is the only thing remembered: nothing of it depends on the
 * caller, and every request is authenticated, scoped and validated as before.
 */
export class KnownOperations {
  private readonly documents = new LRUCache<string, KnownDocument>({
    max: KNOWN_MAX,
    maxSize: KNOWN_MAX_CHARS,
    sizeCalculation: (_document, query) => query.length || 1,
  });

  /** Compiled operations (false: executed by graphql-js), by operation name and document. */
  private readonly plans = new LRUCache<string, CompiledQuery | false>({ max: KNOWN_PLANS });

  /** Requests this path answered itself (the others went to yoga). */
  answered = 0;

  constructor(private readonly options: KnownOperationsOptions) {}

  /** How many documents are known. */
  get size(): number {
    return this.documents.size;
  }

  /** Learns every document yoga validated without an error, by its exact text. */
  plugin(): Plugin {
    const documents = this.documents;
    return {
      onValidate({ params, context }) {
        const query = (context as { params?: { query?: unknown } }).params?.query;
        if (typeof query !== 'string' || query.length > KNOWN_MAX_CHARS / 4) return;
        return ({ result }) => {
          if (!result.length) {
            const document: DocumentNode = params.documentAST;
            const single = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length === 1;
            documents.set(query, { document, single });
          }
        };
      },
    };
  }

  /** The node:http handler: the known path where it applies, else yoga. */
  handler(yoga: YogaServerInstance<Record<string, never>, GatewayContext>): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const mediaType = this.mediaTypeFor(req, yoga.graphqlEndpoint);
      if (!mediaType) return void yoga(req, res);
      const started = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', () => undefined);
      req.on('end', () => {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        this.answer(req, res, raw, mediaType, started, yoga).catch((error: unknown) => {
          this.options.onUnexpected(error);
          if (res.headersSent) return void res.destroy();
          void sendNodeResponse(errorResponse(errors.internal(), 500), res, req, false);
        });
      });
    };
  }

  /** The media type of the answer when the request may take the known path (before its body is read). */
  private mediaTypeFor(req: IncomingMessage, endpoint: string): string | undefined {
    if (req.method !== 'POST' || req.url !== endpoint) return undefined;
    const type = req.headers['content-type']?.split(',')[0];
    if (type !== 'application/json' && type !== 'application/json; charset=utf-8') return undefined;
    const length = req.headers['content-length'];
    if (!length || !/^\d+$/.test(length) || Number(length) > this.options.maxBodyBytes) return undefined;
    if (this.options.cors && req.headers.origin !== undefined) return undefined;
    return regularMediaType(req.headers.accept);
  }

  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    mediaType: string,
    started: number,
    yoga: YogaServerInstance<Record<string, never>, GatewayContext>,
  ): Promise<void> {
    let params: KnownRequest | undefined;
    try {
      params = plainParams(JSON.parse(raw.toString('utf8')), this.options.persisted);
    } catch {
      // Not JSON to this parser (a byte-order mark, say): yoga's parser judges it.
    }
    if (!params) return viaYoga(req, res, raw, yoga);
    const known = this.documents.get(params.query);
    const document = known?.document;
    const operation = document && operationOf(document, params.operationName);
    const named = params.operationName !== undefined || known?.single;
    if (!document || !operation || !named || operation.operation === 'subscription') return viaYoga(req, res, raw, yoga);
    const requestId = requestIdFrom(header(req, 'x-request-id'));
    let context: GatewayContext;
    try {
      context = await this.options.context(requestId, header(req, 'authorization') ?? null, header(req, 'idempotency-key') ?? null);
    } catch {
      // A refused token: yoga answers it as it always does.
      return viaYoga(req, res, raw, yoga);
    }
    // The upstream calls of an operation over HTTP are listed in its log line (use-operation-log.ts).
    context.stamps.api.reported = true;
    const record: OperationRecord = {
      started,
      name: params.operationName ?? operation.name?.value ?? 'anonymous',
      type: operation.operation,
      context,
      http: true,
    };
    const executed = await this.execute(params, document, operation, context);
    releaseRequestCaches(context);
    const result = settleExecutionResult(executed, document, params.operationName, this.options.onUnexpected);
    try {
      this.options.onResult(requestId, record, result);
    } catch (error) {
      // The metrics or the log failing must not take the answer away (a mutation may have been applied).
      this.options.onUnexpected(error);
    }
    this.answered++;
    if (!result.errors?.length && !result.extensions) {
      // What yoga's result processor makes of a result without errors, written in one piece: the head
      // and a string body go out in one write, where yoga's adapter writes them in two.
      const body = JSON.stringify(result);
      res
        .writeHead(200, {
          'content-type': `${mediaType}; charset=utf-8`,
          'content-length': Buffer.byteLength(body),
          'x-request-id': requestId,
        })
        .end(body);
      return;
    }
    const response = processRegularResult(result, yoga.fetchAPI, mediaType);
    response.headers.set('x-request-id', requestId);
    await sendNodeResponse(response, res, req, false);
  }

  /**
   * Runs the operation: compiled by graphql-jit when its document is plain (see `plain`) and its
   * variables are valid, else graphql-js, which yoga uses too. Variables are
   * checked by graphql-js first, so a refused one reads exactly as yoga's; graphql-jit leaves the
   * locations out of a field's error, which are put back from the document.
   */
  private async execute(
    params: KnownRequest,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    contextValue: GatewayContext,
  ): Promise<ExecutionResult> {
    const compiled = this.compiled(params, document);
    const variables = params.variables ?? {};
    if (compiled && !getVariableValues(this.options.schema, operation.variableDefinitions ?? [], variables).errors) {
      const { data, errors } = (await compiled.query(undefined, contextValue, variables)) as ExecutionResult;
      if (!errors?.length) return { data };
      return { errors: errors.map((error) => located(error, operation)), data };
    }
    const { schema } = this.options;
    return execute({ schema, document, contextValue, variableValues: params.variables, operationName: params.operationName });
  }

  /** The operation compiled, for a plain document; undefined for the others (and any graphql-jit refuses). */
  private compiled(params: KnownRequest, document: DocumentNode): CompiledQuery | undefined {
    const key = `${params.operationName ?? ''}\n${params.query}`;
    const known = this.plans.get(key);
    if (known !== undefined) return known || undefined;
    let plan: CompiledQuery | false = false;
    try {
      const compiled = plain(document) ? compileQuery(this.options.schema, document, params.operationName) : undefined;
      if (compiled && isCompiledQuery(compiled)) plan = compiled;
    } catch (error) {
      // A document graphql-jit cannot compile runs on graphql-js.
      this.options.onUnexpected(error);
    }
    this.plans.set(key, plan);
    return plan || undefined;
  }
}

/** A header as yoga's Request shows it: repeated values joined. */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request, its body already read, handed to yoga as a fetch Request; its answer written back. */
async function viaYoga(
  req: IncomingMessage,
  res: ServerResponse,
  raw: Buffer,
  yoga: YogaServerInstance<Record<string, never>, GatewayContext>,
): Promise<void> {
  const headers = new yoga.fetchAPI.Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const request = new yoga.fetchAPI.Request(`http://localhost${req.url}`, { method: 'POST', headers, body: new Uint8Array(raw) });
  // Written as yoga's node adapter writes it: a stream (a subscription's events) is piped as it comes.
  await sendNodeResponse(await yoga.fetch(request as never, { req, res } as never), res, req, false);
}
