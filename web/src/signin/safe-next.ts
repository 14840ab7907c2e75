/**
 * Where to go after signing in: a path of this site only (`/packs/x?y`), never another origin
 * (`//evil.example`, `https://…`, `/\evil`), so `?next=` cannot become an open redirect.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/signin')) return '/';
  return next;
}
