/** Profile-level rules: cloud type `all`, the version's shape, an empty ADDON/SYSTEM profile. */

import type { ProfileDraft } from '../profile.model.js';
import { aProfile } from './labels.js';
import type { IssueSink } from './layer-context.js';

const PROFILE_VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

export function checkProfileHeader(draft: ProfileDraft, add: IssueSink): void {
  if (draft.cloudType.trim().toLowerCase() === 'all' && draft.type !== 'ADDON') {
    add({
      code: 'CLOUD_TYPE_ALL_NOT_ADDON',
      severity: 'ERROR',
      message: `cloudType "all" is only for ADDON profiles; ${aProfile(draft.type)} needs a specific cloud type`,
    });
  }
  if (draft.version !== null && draft.version !== undefined && !PROFILE_VERSION_PATTERN.test(draft.version.trim())) {
    add({
      code: 'PROFILE_VERSION_INVALID',
      severity: 'ERROR',
      message: `profile version "${draft.version}" is not MAJOR.MINOR.PATCH (e.g. 1.0.0)`,
    });
  }
  if ((draft.type === 'ADDON' || draft.type === 'SYSTEM') && draft.layers.length === 0) {
    add({ code: 'PROFILE_EMPTY', severity: 'ERROR', message: `${aProfile(draft.type)} needs at least one layer` });
  }
}
