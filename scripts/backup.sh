#!/usr/bin/env bash
# Dump the PostgreSQL database named by DATABASE_URL (custom format, compressed).
# Usage: scripts/backup.sh [OUTPUT_FILE]   (default: backups/cimento-<UTC timestamp>.dump)
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *)
  echo "backup: DATABASE_URL must point at PostgreSQL (SQLite: copy db.sqlite3)" >&2; exit 2;;
esac
out="${1:-backups/cimento-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
umask 077  # the dump holds health data
pg_dump --format=custom --no-owner --no-privileges --file="$out" "$DATABASE_URL"
echo "backup: wrote $out ($(du -h "$out" | cut -f1))"
