#!/usr/bin/env bash
# Authors a migration from the difference between prisma/migrations and prisma/schema.prisma.
# Usage: npm run db:migration -- <name>
set -euo pipefail
name="${1:?usage: npm run db:migration -- <name>}"
cd "$(dirname "$0")/.."
mkdir -p prisma/migrations
[ -f prisma/migrations/migration_lock.toml ] || printf 'provider = "postgresql"\n' > prisma/migrations/migration_lock.toml
tmp=$(mktemp)
set +e
npx prisma migrate diff --from-migrations prisma/migrations --to-schema-datamodel prisma/schema.prisma \
  --script --exit-code --output "$tmp"
code=$?
set -e
if [ "$code" = 0 ]; then echo "No schema change: no migration written."; rm -f "$tmp"; exit 0; fi
if [ "$code" != 2 ]; then echo "prisma migrate diff failed ($code)" >&2; rm -f "$tmp"; exit "$code"; fi
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
mkdir -p "$dir"
mv "$tmp" "$dir/migration.sql"
echo "Wrote $dir/migration.sql"
