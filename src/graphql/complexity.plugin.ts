/**
 * Refuses operations whose estimated cost is over the limit, before anything executes. Every field
 * costs 1 (`__typename` too; the few costly ones of FIELD_COSTS more); a list field costs 1 plus its
 * page size (`first`/`last`, from literals or variables, else a default) times the cost of what it
 * selects, so nested pages multiply as the database work does.
 *
 * The estimate takes time linear in the document: each fragment's cost is computed once and reused
 * at every spread (a fragment's cost depends only on its own selections: its type is its type
 * condition). A chain of fragments each spreading the next twice doubles the cost per link, not the
 * work of estimating it.
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
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

/**
 * Fields whose work is not their selection's cost them more than 1, so a document (up to
 * MAX_QUERY_COMPLEXITY, 20,000 by default) holds a few at most: proposeProfile runs the solver up
 * to 9 times (up to 2 s of CPU each), profileUpgradeSteps one validated solve per minor (up to 10),
 * packFacets aggregates the whole readable catalog.
 */
const FIELD_COSTS = new Map<string, number>([
  ['Query.proposeProfile', 4_000],
  ['Query.profileUpgradeSteps', 10_000],
  ['Query.packFacets', 1_000],
]);

/** A plain list with no page size (a pack's versions, a profile's layers): a typical length. */
const DEFAULT_LIST_SIZE = 10;

function pageSize(args: Record<string, unknown>, connection: boolean): number {
  // `nodes(ids:)` answers one object per id asked for.
  const asked = Array.isArray(args.ids) ? args.ids.length : undefined;
  // A connection asked for no size answers the server's default page, so it costs that much.
  const unsized = asked ?? (connection ? DEFAULT_PAGE_SIZE : DEFAULT_LIST_SIZE);
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : unsized;
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

  // Cost of each fragment, keyed by name (and by "untyped" inside introspection); -1 while in progress.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string, typed: boolean, type: GraphQLNamedType | null): number => {
    const key = typed ? name : `untyped:${name}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return Math.max(0, known); // -1: a cycle, which validation already refused
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    fragmentCosts.set(key, -1);
    const onType = typed ? (schema.getType(fragment.typeCondition.name.value) ?? type) : null;
    const total = cost(onType, fragment.selectionSet);
    fragmentCosts.set(key, total);
    return total;
  };

  /** `type` null: inside introspection (`__schema`, `__type`), where every field costs 1 and nothing multiplies. */
  const cost = (type: GraphQLNamedType | null, selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    const fields = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : undefined;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = fields?.[selection.name.value];
        if (!field) {
          total += 1 + cost(null, selection.selectionSet);
          continue;
        }
        const args: Record<string, unknown> = {};
        for (const arg of selection.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, variables);
        const child = cost(getNamedType(field.type), selection.selectionSet);
        // A connection's `edges` are the page its parent field already counted: not multiplied again.
        const pageOfParent = selection.name.value === 'edges' && type!.name.endsWith('Connection');
        const connection = getNamedType(field.type).name.endsWith('Connection');
        const list = !pageOfParent && (isListType(getNullableType(field.type)) || connection);
        const own = FIELD_COSTS.get(`${type!.name}.${selection.name.value}`) ?? 1;
        total += list ? own + pageSize(args, connection) * Math.max(1, child) : own + child;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const onType = type && selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) ?? type) : type;
        total += cost(onType, selection.selectionSet);
      } else {
        total += fragmentCost(selection.name.value, type !== null, type);
      }
    }
    return total;
  };
  return cost(root, operation.selectionSet);
}

export function complexityPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          // A chain of fragments can make the estimate astronomically large: report it as a safe integer.
          const complexity = Math.min(estimateComplexity(schema, document, request.operationName, request.variables ?? {}), Number.MAX_SAFE_INTEGER);
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `Query is too complex: estimated cost ${complexity}, the limit (MAX_QUERY_COMPLEXITY) is ${maxComplexity}. Ask for smaller pages or fewer fields.`,
              {
                extensions: { code: 'BAD_USER_INPUT', field: 'query', limit: 'MAX_QUERY_COMPLEXITY', complexity, maxComplexity, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}
