/** A pack's logo from /artifacts on our own origin, or its initials when it has none or it fails. */
import { useState } from 'react';
import { ownOriginPath } from '../pack/pull-commands';

export function PackLogo({ url, name, size = 40 }: { url: string | null | undefined; name: string; size?: number }) {
  const [failed, setFailed] = useState(false);
  const src = ownOriginPath(url);
  const className = `logo logo-${size}`;
  if (!src || failed) {
    return (
      <span className={`${className} logo-fallback`} aria-hidden="true">
        {name.slice(0, 2).toUpperCase()}
      </span>
    );
  }
  // Decorative: the pack's name is next to it.
  return <img className={className} src={src} alt="" width={size} height={size} loading="lazy" onError={() => setFailed(true)} />;
}
