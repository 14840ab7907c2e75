/** What packctl prints: aligned tables for people, JSON (`-o json`) for scripts. */
import type { CliIssue } from './errors.js';

export type OutputFormat = 'table' | 'json';

/** One column of a table: its header and how to get a row's cell. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cellText).join(',');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  // Cells are one line each: a newline in a message would break the columns.
  return String(value).replace(/\s*\r?\n\s*/g, ' ');
}

/** Terminal columns a string takes (wide East Asian characters and emoji count two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x300 && code < 0x370)) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * Rows as an aligned text table, headers upper-cased, columns two spaces apart, no trailing
 * spaces; empty cells show `-`. Returns the lines joined with `\n` (no final newline).
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const header = columns.map((column) => column.header.toUpperCase());
  const body = rows.map((row) => columns.map((column) => cellText(column.value(row))));
  const widths = header.map((title, index) => Math.max(displayWidth(title), ...body.map((cells) => displayWidth(cells[index]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell + ' '.repeat(widths[index] - displayWidth(cell))))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** `key: value` lines with the keys aligned, for one object (`pack show`, `whoami`). */
export function formatDetails(entries: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(...entries.map(([key]) => key.length)) + 1;
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width)} ${cellText(value)}`).join('\n');
}

/** Issues (pack or profile) as a table: severity, code, layer, pack, path, message. */
export function formatIssues(issues: readonly CliIssue[]): string {
  const columns: Column<CliIssue>[] = [
    { header: 'severity', value: (issue) => issue.severity?.toUpperCase() },
    { header: 'code', value: (issue) => issue.code },
  ];
  if (issues.some((issue) => issue.layerIndex !== undefined || issue.pack !== undefined)) {
    columns.push({ header: 'layer', value: (issue) => issue.layerIndex }, { header: 'pack', value: (issue) => issue.pack });
  }
  columns.push({ header: 'path', value: (issue) => issue.path }, { header: 'message', value: (issue) => issue.message });
  return formatTable(issues, columns);
}

/** 1536 -> `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * A pack's minimum resource with its unit, as pack.json counts it (the API's ResourceConstraint):
 * cpu in millicores (`100m (0.1 CPU)`), memory in MiB (`256 MiB`, `2 GiB`), disk (`diskSize`) in GiB.
 */
export function formatResourceMinimum(type: string, minimum: number | null | undefined): string | null {
  if (minimum === null || minimum === undefined) return null;
  const number = (value: number) => String(Number(value.toFixed(3)));
  switch (type.toLowerCase()) {
    case 'cpu':
      return `${number(minimum)}m (${number(minimum / 1000)} CPU)`;
    case 'memory':
      return minimum >= 1024 && minimum % 1024 === 0 ? `${number(minimum / 1024)} GiB` : `${number(minimum)} MiB`;
    case 'disk':
    case 'disksize':
    case 'diskspace':
      return `${number(minimum)} GiB`;
    default:
      return number(minimum);
  }
}

/** `sha256:0123456789ab...` -> `sha256:0123456789ab` (12 hex digits, as docker shows). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '-';
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algorithm}:${hex.slice(0, 12)}`;
}

/** Where a command writes: results to stdout (tables or JSON), notes and progress to stderr. */
export class Output {
  constructor(
    readonly format: OutputFormat,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {}

  get json(): boolean {
    return this.format === 'json';
  }

  /** The result of a command: `data` as JSON with `-o json`, else whatever `text` renders. */
  result(data: unknown, text: () => string | undefined): void {
    if (this.json) {
      this.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    const rendered = text();
    if (rendered !== undefined && rendered !== '') this.stdout.write(`${rendered}\n`);
  }

  /** One record of a stream: a JSON line with `-o json` (for `jq` and scripts), else the line `text` renders. */
  line(data: unknown, text: () => string): void {
    this.stdout.write(`${this.json ? JSON.stringify(data) : text()}\n`);
  }

  /** A table, or the rows as a JSON array; `empty` is printed instead of a header-only table. */
  table<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string, data: unknown = rows): void {
    this.result(data, () => (rows.length === 0 ? empty : formatTable(rows, columns)));
  }

  /** A line for people, on stderr so stdout stays parseable; silent with `-o json`. */
  note(message: string): void {
    if (!this.json) this.stderr.write(`${message}\n`);
  }

  /** A warning: on stderr in both formats. */
  warn(message: string): void {
    this.stderr.write(`warning: ${message}\n`);
  }
}
