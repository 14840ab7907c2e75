/**
 * An error the API answered, shown as it said it: the message and its `extensions.code` (the code
 * is what docs/errors.md explains), or what went wrong on the way (network, socket).
 */
import type { CombinedError } from 'urql';
import './pages.css';

export interface ApiProblem {
  message: string;
  code: string | null;
}

/** The first GraphQL error of an urql result (message and code), else its network error. */
export function problemOf(error: CombinedError | Error | { message?: string; extensions?: { code?: unknown } } | null | undefined): ApiProblem | null {
  if (!error) return null;
  const graphQLErrors = (error as CombinedError).graphQLErrors;
  if (Array.isArray(graphQLErrors) && graphQLErrors.length > 0) {
    const first = graphQLErrors[0];
    const code = first.extensions?.code;
    return { message: first.message, code: typeof code === 'string' ? code : null };
  }
  const network = (error as CombinedError).networkError;
  if (network) return { message: `The service did not answer: ${network.message}`, code: null };
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return { message: error.message ?? String(error), code: typeof code === 'string' ? code : null };
}

export function ApiErrorAlert({ error, prefix }: { error: Parameters<typeof problemOf>[0]; prefix?: string }) {
  const problem = problemOf(error);
  if (!problem) return null;
  return (
    <p role="alert" className="alert error">
      {prefix ? `${prefix}: ` : ''}
      {problem.message}
      {problem.code && (
        <>
          {' '}
          <code className="error-code">{problem.code}</code>
        </>
      )}
    </p>
  );
}
