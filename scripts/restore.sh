#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the (empty or disposable) database TARGET_URL.
# Usage: scripts/restore.sh DUMP_FILE [TARGET_URL]   (default target: DATABASE_URL)
set -euo pipefail
dump="${1:?usage: scripts/restore.sh DUMP_FILE [TARGET_URL]}"
target="${2:-${DATABASE_URL:-}}"
: "${target:?give TARGET_URL or set DATABASE_URL}"
[ -r "$dump" ] || { echo "restore: cannot read $dump" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --dbname="$target" "$dump"
echo "restore: $dump restored into the target database"
