import {
  type ASTNode,
  type DocumentNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { errors, type InputIssue, toGraphQLError } from '../errors.js';

/**
 * graphql-js refuses a bad input value in two places with two shapes: a literal in the document
 * during validation ("Expected value of type ...", on the value's node), and a variable during
 * execution ("Variable "$x" got invalid value ..."). A client should not care which: both become
 * one BAD_USER_INPUT error with an `issues` entry per value, named by its path in the argument
 * (`input.startDate`), and the response path of the field that takes it.
 */

interface Located {
  /** The argument path, e.g. ['input', 'startDate']. */
  argumentPath: string[];
  /** The response key of the root field whose argument holds the value. */
  field: string;
}

const VALUE_KINDS = new Set<string>([
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
  Kind.OBJECT_FIELD,
  Kind.VARIABLE,
]);

function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  return document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
}

/** Walks the root fields' arguments (fragments included) and reports where `match` holds. */
function locate(
  document: DocumentNode,
  operationName: string | null | undefined,
  match: (node: ValueNode | ASTNode) => boolean,
): Located | undefined {
  const operation = operationOf(document, operationName);
  if (!operation) return undefined;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const inValue = (value: ValueNode, path: string[]): string[] | undefined => {
    if (match(value)) return path;
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        if (match(field)) return [...path, field.name.value];
        const found = inValue(field.value, [...path, field.name.value]);
        if (found) return found;
      }
    }
    if (value.kind === Kind.LIST) {
      for (const [i, item] of value.values.entries()) {
        const found = inValue(item, [...path, String(i)]);
        if (found) return found;
      }
    }
    return undefined;
  };
  const seen = new Set<string>();
  const inSelections = (set: SelectionSetNode, root: string | undefined): Located | undefined => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = root ?? selection.alias?.value ?? selection.name.value;
        for (const argument of selection.arguments ?? []) {
          const found = inValue(argument.value, [argument.name.value]);
          if (found) return { argumentPath: found, field };
        }
        const nested = selection.selectionSet && inSelections(selection.selectionSet, field);
        if (nested) return nested;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = inSelections(selection.selectionSet, root);
        if (found) return found;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        const found = fragment && inSelections(fragment.selectionSet, root);
        if (found) return found;
      }
    }
    return undefined;
  };
  return inSelections(operation.selectionSet, undefined);
}

const VARIABLE_ERROR = /^Variable "\$(\w+)" (?:got invalid value .*?(?: at "\w+((?:\.\w+|\[\d+\])*)")?; (.*)|(.*))$/s;

/** graphql-js's words for a refused variable, as an issue's message. */
function variableReason(reason: string | undefined, whole: string): string {
  if (reason !== undefined) return reason.replace(/^Expected type "\w+"\. /, '').trim();
  const required = /^of required type "(.+)" was not provided\.$/.exec(whole);
  if (required) return `is required (${required[1]}) but was not given`;
  const nonNull = /^of non-null type "(.+)" must not be null\.$/.exec(whole);
  if (nonNull) return `must not be null (${nonNull[1]})`;
  return whole.trim();
}

/** The issue of one refused value, or undefined when the error is about the document, not a value. */
function issueOf(
  error: GraphQLError,
  document: DocumentNode,
  operationName?: string | null,
): (InputIssue & { field?: string }) | undefined {
  const variable = VARIABLE_ERROR.exec(error.message);
  if (variable) {
    const [, name, subPath, reason, whole] = variable;
    const located = locate(document, operationName, (node) => node.kind === Kind.VARIABLE && node.name.value === name);
    const sub = (subPath ?? '')
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .filter(Boolean);
    const path = located ? [...located.argumentPath, ...sub] : [`$${name}`, ...sub];
    return { path: path.join('.'), message: variableReason(reason, whole ?? error.message), field: located?.field };
  }
  const node = error.nodes?.[0];
  if (!node || !VALUE_KINDS.has(node.kind)) return undefined;
  const located = locate(document, operationName, (candidate) => candidate === node);
  if (!located) return undefined;
  const reason = error.originalError && !(error.originalError instanceof GraphQLError) ? error.originalError.message : error.message;
  return { path: located.argumentPath.join('.'), message: reason, field: located.field };
}

/**
 * Replaces the input-value errors among `list` with one BAD_USER_INPUT error listing every refused
 * value; the document's other errors stay as they are.
 */
export function asInputIssues(
  list: readonly GraphQLError[],
  document: DocumentNode | undefined,
  operationName?: string | null,
): GraphQLError[] {
  if (!document) return [...list];
  const issues: Array<InputIssue & { field?: string }> = [];
  const nodes: ASTNode[] = [];
  const rest: GraphQLError[] = [];
  for (const error of list) {
    const issue = issueOf(error, document, operationName);
    if (issue) {
      issues.push(issue);
      if (error.nodes) nodes.push(...error.nodes);
    } else rest.push(error);
  }
  if (!issues.length) return rest;
  const field = issues.find((i) => i.field)?.field;
  const error = errors.badUserInput(issues.map(({ path, message }) => ({ path, message }))).with({ http: { status: 400 } });
  return [toGraphQLError(error, { nodes, ...(field ? { path: [field] } : {}) }), ...rest];
}
