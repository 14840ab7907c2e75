/** The "Examples:" block every command adds after its help. */
export function examples(lines: string): string {
  return `\nExamples:\n${lines}`;
}
