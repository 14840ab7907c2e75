/** Errors packctl reports: a message, the server's code when there is one, and the exit status. */

/** A problem found in a pack, a profile or a request, as the server (or the local pack reader) lists it. */
export interface CliIssue {
  code: string;
  severity?: string;
  message: string;
  path?: string | null;
  layerIndex?: number | null;
  pack?: string | null;
}

/** An expected failure: printed as `error: <message> (<CODE>)`, never with a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly options: {
      /** The server's `extensions.code` (e.g. `NOT_FOUND`), when the error came from it. */
      code?: string;
      /** 1 for failures (default), 2 for usage errors. */
      exitCode?: number;
      /** Issues to print as a table under the message. */
      issues?: CliIssue[];
      /** A line telling the user what to do next. */
      hint?: string;
      /** The server's other `extensions` (e.g. `maxComplexity`), for callers that adapt. */
      extensions?: Record<string, unknown>;
      /** The command already said everything, verdict included: print nothing more, just exit with the status. */
      quiet?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'CliError';
  }

  get code(): string | undefined {
    return this.options.code;
  }

  get exitCode(): number {
    return this.options.exitCode ?? 1;
  }
}

/** A command line that can't work as given: exit status 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: 2, hint });
    this.name = 'UsageError';
  }
}

export const NOT_LOGGED_IN = 'Not logged in. Run: packctl login <url> --token <token>';
