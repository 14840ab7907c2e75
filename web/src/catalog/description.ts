/** pack.json's `annotations.description`, when it is a non-empty string (annotations are free-form JSON). */
export function descriptionOf(annotations: unknown): string | null {
  if (!annotations || typeof annotations !== 'object') return null;
  const description = (annotations as Record<string, unknown>).description;
  return typeof description === 'string' && description.trim() ? description.trim() : null;
}
