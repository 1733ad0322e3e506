#!/bin/sh
# Create baomi's PostgreSQL role and database on this machine (docs/operations.md §2), as root.
# Peer authentication over the local socket: the system user "baomi" connects as the role
# "baomi" with no password to store. Safe to run again.
#
#   sh deploy/postgresql-setup.sh [ROLE] [DATABASE]
#
# Then in /etc/baomi/baomi.env: BAOMI_DATABASE_URL=postgresql:///baomi?host=/var/run/postgresql
set -eu
role=${1:-baomi}
db=${2:-baomi}
case "$role$db" in *[!a-z0-9_]*) echo "role and database: lower-case letters, digits, _" >&2; exit 1;; esac
psql_admin() { su postgres -s /bin/sh -c "psql -v ON_ERROR_STOP=1 -qtA $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != "1" ]; then
  # No superuser, no CREATEROLE; CREATEDB lets `baomi restore --verify-only` restore a backup
  # into a scratch database and drop it again.
  psql_admin "-c 'CREATE ROLE $role LOGIN NOSUPERUSER NOCREATEROLE CREATEDB'"
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")" != "1" ]; then
  psql_admin "-c \"CREATE DATABASE $db OWNER $role ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0\""
fi
psql_admin "-d $db -c 'REVOKE ALL ON DATABASE $db FROM PUBLIC'"
psql_admin "-d $db -c 'REVOKE CREATE ON SCHEMA public FROM PUBLIC'"
psql_admin "-d $db -c 'ALTER SCHEMA public OWNER TO $role'"
echo "PostgreSQL: role $role, database $db (UTF8, C.UTF-8) ready."
echo "BAOMI_DATABASE_URL=postgresql:///$db?host=/var/run/postgresql"
