/** How issue messages name layers and profile types: "a CSI layer", "an ADDON profile". */

import type { PackLayer } from '../../packs/pack.types.js';
import type { ProfileTypeName } from '../profile.model.js';

export function layerLabel(layer: PackLayer): string {
  return layer.toUpperCase();
}

const AN_LABELS = new Set(['OS', 'ADDON', 'INFRA']);

/** "a CSI", "an OS". */
export function withArticle(label: string): string {
  return `${AN_LABELS.has(label) ? 'an' : 'a'} ${label}`;
}

export function aProfile(type: ProfileTypeName): string {
  return `${withArticle(type)} profile`;
}
