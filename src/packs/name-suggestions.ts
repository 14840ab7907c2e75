/**
 * "Did you mean ...?" for a pack name that is not in the catalog (`cert-manger` -> cert-manager).
 * Edit distance by fastest-levenshtein; a candidate is offered when it is close for its length (a
 * third of the typed name's characters, at least 2 edits), or when one name contains the other
 * (`prometheus` -> prometheus-operator). Nearest first, ties by name, at most `max`.
 */
import { distance } from 'fastest-levenshtein';

export function suggestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const typed = name.trim().toLowerCase();
  if (typed === '') return [];
  const limit = Math.max(2, Math.floor(typed.length / 3));
  const scored: Array<{ candidate: string; score: number }> = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    if (candidate === name.trim()) continue; // names are case-sensitive: `CNI-Calico` gets cni-calico
    const d = distance(typed, lower);
    // Containment counts as close, behind any real typo match of the same length difference.
    const contained = typed.length >= 3 && (lower.includes(typed) || typed.includes(lower));
    if (d <= limit) scored.push({ candidate, score: d });
    else if (contained) scored.push({ candidate, score: limit + 1 + Math.abs(lower.length - typed.length) / 100 });
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** ` (did you mean "a" or "b"?)`, or '' without suggestions: appended to a not-found message. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` (did you mean ${list}?)`;
}
