/**
 * The issues profile validation reports: stable codes (the first block is the API contract, the
 * rest are ours).
 *
 * | code                        | severity      | when |
 * |-----------------------------|---------------|------|
 * | MISSING_CORE_LAYER          | ERROR         | CLUSTER/INFRA lacks one of OS, K8S, CNI, CSI |
 * | DUPLICATE_CORE_LAYER        | ERROR         | a second pack for a core layer (KERNEL included) |
 * | LAYER_ORDER                 | ERROR         | core layers not KERNEL, OS, K8S, CNI, CSI; an add-on before a core layer |
 * | LAYER_NOT_ALLOWED           | ERROR         | an add-on in INFRA; a core layer in ADDON/SYSTEM |
 * | PACK_NOT_FOUND              | ERROR         | the layer's pack resolves to nothing |
 * | VERSION_NOT_FOUND           | ERROR         | the pack exists but not that version/tag (message lists versions) |
 * | CLOUD_TYPE_MISMATCH         | ERROR         | pack cloudTypes hold neither the profile cloudType nor `all` |
 * | DEPENDENCY_MISSING          | ERROR/WARNING | a `required` dependency is absent (WARNING in ADDON/SYSTEM when it is a core layer, which the cluster's infra profile provides) |
 * | DEPENDENCY_VERSION          | ERROR         | a required / present optional dependency is outside minVersion..maxVersion |
 * | DEPENDENCY_NOT_SUPPORTED    | ERROR         | a `notSupported` dependency is present within its range |
 * | DUPLICATE_PACK              | ERROR         | the same pack twice without distinct display names |
 * | VALUES_INVALID_YAML         | ERROR         | a layer's values are not YAML (or not a mapping); message has line and column |
 * | VALUES_SCHEMA               | ERROR         | values break schema.yaml: required, format, range, list, regex, readonly |
 * | PRESET_UNKNOWN              | ERROR/WARNING | a selected preset the pack lacks (WARNING when it comes from the enabled-presets comment) |
 * | PRESET_GROUP_CONFLICT       | ERROR/WARNING | two selected presets of one group (WARNING from the comment) |
 * | VARIABLE_UNDEFINED          | ERROR         | `{{ .spectro.var.X }}` with no profile variable X |
 * | PACK_REFERENCE_UNKNOWN      | ERROR         | `{{ .spectro.pack.P.* }}` with no layer holding pack P |
 * | CLOUD_TYPE_ALL_NOT_ADDON    | ERROR         | `cloudType: all` on a profile that is not ADDON |
 * | SYSTEM_MACRO_UNKNOWN        | WARNING       | `{{ .spectro.system.X }}` where X is not a documented system macro |
 * | LAYER_MISMATCH              | WARNING       | a dependency names a pack that is present but in another layer than the dependency says |
 * | VALUES_SCHEMA_UNSUPPORTED   | WARNING       | a schema.yaml expression we can't understand (that part is not checked) |
 * | VARIABLE_INVALID            | ERROR         | a variable with a bad/duplicate name, unknown format, bad regex, a default that breaks its format/regex/options, or hidden/read-only + required without default |
 * | VARIABLE_UNUSED             | WARNING       | a profile variable no layer's values use |
 * | INSTALL_PRIORITY_INVALID    | WARNING       | `spectrocloud.com/install-priority` is not an integer (0 is used) |
 * | PROFILE_VERSION_INVALID     | ERROR         | the profile version is not `MAJOR.MINOR.PATCH` |
 * | PROFILE_EMPTY               | ERROR         | an ADDON/SYSTEM profile without layers |
 * | UNSIGNED_PACK               | WARNING       | the layer's pack version has no signature a trusted key verifies, in a registry whose trust policy enforces WARN or REQUIRE (path `layers[i]`) |
 * | PACK_VERSION_DEPRECATED     | WARNING       | the layer's pack version is deprecated (`system_state: deprecated`, or the catalog marked it); names `replacedBy` when annotated (path `layers[i].version`) |
 * | PACK_VERSION_DISABLED       | ERROR         | the layer's pack version is disabled (`system_state: disabled`): no new profiles |
 * | PACK_VERSION_PAST_EOL       | WARNING       | the layer's pack version is past its pack.json `eol` date |
 */

export const PROFILE_ISSUE_CODES = [
  'MISSING_CORE_LAYER',
  'DUPLICATE_CORE_LAYER',
  'LAYER_ORDER',
  'LAYER_NOT_ALLOWED',
  'PACK_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'CLOUD_TYPE_MISMATCH',
  'DEPENDENCY_MISSING',
  'DEPENDENCY_VERSION',
  'DEPENDENCY_NOT_SUPPORTED',
  'DUPLICATE_PACK',
  'VALUES_INVALID_YAML',
  'VALUES_SCHEMA',
  'PRESET_UNKNOWN',
  'PRESET_GROUP_CONFLICT',
  'VARIABLE_UNDEFINED',
  'PACK_REFERENCE_UNKNOWN',
  'CLOUD_TYPE_ALL_NOT_ADDON',
  'SYSTEM_MACRO_UNKNOWN',
  'LAYER_MISMATCH',
  'VALUES_SCHEMA_UNSUPPORTED',
  'VARIABLE_INVALID',
  'VARIABLE_UNUSED',
  'INSTALL_PRIORITY_INVALID',
  'PROFILE_VERSION_INVALID',
  'PROFILE_EMPTY',
  'UNSIGNED_PACK',
  'PACK_VERSION_DEPRECATED',
  'PACK_VERSION_DISABLED',
  'PACK_VERSION_PAST_EOL',
] as const;
export type ProfileIssueCode = (typeof PROFILE_ISSUE_CODES)[number];
