/** Hostile GraphQL documents of issue 12 (point 1), shared by the unit tests, the integration test and the bench. */

/** `fragment F0 on Query { ...F1 ...F1 }` ... : 2^links paths through `links` fragments. */
export function fragmentChain(links: number): string {
  const fragments = Array.from({ length: links }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${links} on Query { __typename }`;
}

/** `{ a0: __typename a1: __typename ... }` */
export function typenameAliases(count: number): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(' ')} }`;
}

/** `{ __typename @skip(if: false) @skip(if: false) ... }` */
export function directives(count: number): string {
  return `{ __typename ${'@skip(if: false) '.repeat(count)}}`;
}
