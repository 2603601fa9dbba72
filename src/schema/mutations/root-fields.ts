import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The root fields the operation will execute, by response key: fragments spread and inlined,
 * @skip/@include applied, as graphql-js collects them.
 */
export function executedRootFields(info: GraphQLResolveInfo): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<string>();
  const included = (node: SelectionNode) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const visit = (set: SelectionSetNode) => {
    for (const node of set.selections) {
      if (!included(node)) continue;
      if (node.kind === Kind.FIELD) keys.add(node.alias?.value ?? node.name.value);
      else if (node.kind === Kind.INLINE_FRAGMENT) visit(node.selectionSet);
      else if (!seen.has(node.name.value)) {
        seen.add(node.name.value);
        const fragment = info.fragments[node.name.value];
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(info.operation.selectionSet);
  return keys;
}
