/**
 * The exact commands that fetch one pack version from this service: packctl (GraphQL + the
 * artifact download, digest checked), and oras / skopeo through the OCI API, where every version
 * is `<registry>/spectro-packs/archive/<pack>:<version>` (README, "As an OCI registry").
 * Pure (the page passes its own origin): unit-tested in test/unit/web/pull-commands.test.ts.
 */
export interface PullTarget {
  /** The page's origin, e.g. `http://localhost:4000`. */
  origin: string;
  registry: string;
  name: string;
  version: string;
}

export interface PullCommands {
  login: string;
  packctl: string;
  oras: string;
  skopeo: string;
  /** The OCI reference the two OCI tools use. */
  reference: string;
}

/** Quotes a shell word only when it needs it (pack names and versions rarely do). */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function pullCommands(target: PullTarget): PullCommands {
  const url = new URL(target.origin);
  const plain = url.protocol === 'http:';
  const reference = `${url.host}/${target.registry}/spectro-packs/archive/${target.name}:${target.version}`;
  const folder = `./${target.name}-${target.version}`;
  const w = shellWord;
  return {
    reference,
    login: `packctl login ${w(url.origin)} --token "$TOKEN"`,
    packctl: `packctl pack pull ${w(`${target.name}:${target.version}`)} ${w(folder)} --registry ${w(target.registry)}`,
    oras: `oras pull ${plain ? '--plain-http ' : ''}-u me -p "$TOKEN" -o ${w(folder)} ${w(reference)}`,
    skopeo: `skopeo copy ${plain ? '--src-tls-verify=false ' : ''}--src-creds "me:$TOKEN" docker://${w(reference)} oci:${w(`./${target.name}-oci`)}:${w(target.version)}`,
  };
}

/**
 * The path of an artifact URL the API gave (`<baseUrl>/artifacts/sha256/<hex>`): the page fetches
 * it from its own origin, so a base URL the service was configured with (another host name for
 * the same service) does not send the browser elsewhere or break the same-origin CSP.
 */
export function ownOriginPath(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, 'http://same.invalid');
    return parsed.pathname.startsWith('/artifacts/') ? `${parsed.pathname}${parsed.search}` : null;
  } catch {
    return null;
  }
}
