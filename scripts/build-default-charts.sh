#!/usr/bin/env bash
# Rebuild the Helm chart tarballs of the built-in DEFAULT registry's packs from their sources.
#
#   default-packs/_chart-sources/<pack-folder>/<chart>/Chart.yaml ...
#     -> default-packs/<pack-folder>/charts/<chart>-<version>.tgz
#
# The archives are byte-for-byte reproducible (sorted entries, fixed mtime/owner/mode, gzip
# without name or timestamp), so rebuilding unchanged sources leaves their digests unchanged.
# Usage: scripts/build-default-charts.sh [--check]
#   --check  rebuild into a temporary directory and fail if any committed .tgz differs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packs="$root/default-packs"
sources="$packs/_chart-sources"
check=false
[[ "${1:-}" == "--check" ]] && check=true

export LC_ALL=C TZ=UTC
status=0

for chart_dir in "$sources"/*/*/; do
  chart_dir="${chart_dir%/}"
  [[ -f "$chart_dir/Chart.yaml" ]] || continue
  pack_folder="$(basename "$(dirname "$chart_dir")")"
  chart="$(basename "$chart_dir")"
  name="$(sed -n 's/^name:[[:space:]]*//p' "$chart_dir/Chart.yaml" | head -n1 | tr -d '"'"'"'')"
  version="$(sed -n 's/^version:[[:space:]]*//p' "$chart_dir/Chart.yaml" | head -n1 | tr -d '"'"'"'')"
  if [[ "$name" != "$chart" ]]; then
    echo "error: $chart_dir: Chart.yaml name '$name' differs from its folder name" >&2
    exit 1
  fi
  if [[ ! -f "$packs/$pack_folder/pack.json" ]]; then
    echo "error: $chart_dir: no pack folder default-packs/$pack_folder with a pack.json" >&2
    exit 1
  fi

  out="$packs/$pack_folder/charts/$name-$version.tgz"
  tmp="$(mktemp)"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      --mode='u=rwX,go=rX' --format=gnu \
      -C "$(dirname "$chart_dir")" -cf - "$chart" | gzip -n -9 > "$tmp"

  if $check; then
    if ! cmp -s "$tmp" "$out"; then
      echo "stale: ${out#"$root"/} (run scripts/build-default-charts.sh)" >&2
      status=1
    fi
    rm -f "$tmp"
  else
    mkdir -p "$(dirname "$out")"
    mv "$tmp" "$out"
    chmod 0644 "$out"
    echo "built ${out#"$root"/} ($(wc -c < "$out") bytes, sha256 $(sha256sum "$out" | cut -c1-12))"
  fi
done

exit "$status"
