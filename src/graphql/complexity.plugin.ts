/**
 * Refuses operations whose estimated cost is over the limit, before anything executes. Each field
 * costs 1; a list field costs 1 plus its page size (`first`/`last`, else a default) times the cost
 * of what it selects, so nested pages multiply as the database work does.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

const DEFAULT_LIST_SIZE = 10;

function pageSize(args: Record<string, unknown>): number {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_LIST_SIZE;
  return Math.max(1, size);
}

export function estimateComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return 0;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return 0;

  const cost = (type: GraphQLNamedType, selectionSet: SelectionSetNode | undefined, seen: Set<string>): number => {
    if (!selectionSet || !(isObjectType(type) || isInterfaceType(type))) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field: GraphQLField<unknown, unknown> | undefined = type.getFields()[selection.name.value];
        if (!field) continue; // __typename and unknown fields (validation reports those)
        const args: Record<string, unknown> = {};
        for (const arg of selection.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
        const child = cost(getNamedType(field.type), selection.selectionSet, seen);
        // A connection's `edges` are the page its parent field already counted: not multiplied again.
        const pageOfParent = selection.name.value === 'edges' && type.name.endsWith('Connection');
        const list = !pageOfParent && (isListType(getNullableType(field.type)) || getNamedType(field.type).name.endsWith('Connection'));
        total += list ? 1 + pageSize(args) * Math.max(1, child) : 1 + child;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const onType = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        total += cost(onType ?? type, selection.selectionSet, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const onType = schema.getType(fragment.typeCondition.name.value) ?? type;
        total += cost(onType, fragment.selectionSet, new Set([...seen, fragment.name.value]));
      }
    }
    return total;
  };
  return cost(root, operation.selectionSet, new Set());
}

export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const complexity = estimateComplexity(schema, document, request.operationName, request.variables ?? {});
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `Query is too complex: estimated cost ${complexity}, the limit is ${maxComplexity}. Ask for smaller pages or fewer fields.`,
              { extensions: { code: 'BAD_USER_INPUT', field: 'query', complexity, maxComplexity, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
