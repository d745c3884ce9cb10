#!/usr/bin/env bash
# Installs and starts a local PostgreSQL for the store's integration tests on a fresh Debian
# machine (run as root), then prints the line that points the tests at it:
#
#   eval "$(.ci/postgres.sh)"
#   go test -race -count=1 ./internal/store/...
#
# It is idempotent: a second run finds the package installed, the cluster running and the role
# and database present, and prints the same line. Progress goes to stderr so that stdout holds
# only the export line the caller evals.
set -euo pipefail

role=presto_test
db=presto_test
# A fixed password is fine: the server listens on loopback only and holds nothing but test data.
password=${PRESTO_TEST_DB_PASSWORD:-presto_test_pw}
port=5432

log() { echo "postgres.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	log "run me as root (I install packages and manage the cluster)"
	exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	log "installing postgresql"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq postgresql >&2
fi

# The newest installed server version; Debian's package creates a "main" cluster for it.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
	log "creating cluster $version/main"
	pg_createcluster "$version" main --port "$port" >&2
fi

status=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')
if [ "$status" != "online" ]; then
	log "starting cluster $version/main"
	pg_ctlcluster "$version" main start >&2
fi

# Wait until the server accepts connections (start can return before it does).
for _ in $(seq 1 30); do
	if su postgres -c "pg_isready -q -h 127.0.0.1 -p $port"; then
		break
	fi
	sleep 1
done
su postgres -c "pg_isready -q -h 127.0.0.1 -p $port" || { log "server is not accepting connections"; exit 1; }

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAtX -p $port $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$role'\"")" != "1" ]; then
	log "creating role $role"
	psql_admin "-c \"CREATE ROLE $role LOGIN PASSWORD '$password'\"" >&2
else
	# Keep the password in step with this script, in case it changed.
	psql_admin "-c \"ALTER ROLE $role PASSWORD '$password'\"" >&2
fi

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")" != "1" ]; then
	log "creating database $db"
	psql_admin "-c \"CREATE DATABASE $db OWNER $role\"" >&2
fi

echo "export PRESTO_TEST_DATABASE_URL=postgres://$role:$password@127.0.0.1:$port/$db?sslmode=disable"
