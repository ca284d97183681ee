#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the metadata-store tests and prints the environment the tests
# read, so that CI can run:
#
#   eval "$(bash .ci/postgres.sh)"
#
# Only the export lines go to stdout; progress goes to stderr. Safe to run again: a cluster that is
# already answering on the port is reused, a stale one is recreated. Runs as root on a fresh Debian
# 12 machine (it installs PostgreSQL with apt-get when no server binaries are present) or as any
# user who can run initdb (then the cluster belongs to that user).
#
# Settings (environment): LIFECYCLE_PG_PORT (55432), LIFECYCLE_PG_DIR (a directory under
# ${TMPDIR:-/tmp} named after the port). The cluster listens on 127.0.0.1 only; TCP logins need a
# password, and the Unix socket lives inside the cluster's directory where only its owner can reach it.
set -euo pipefail

port="${LIFECYCLE_PG_PORT:-55432}"
base="${LIFECYCLE_PG_DIR:-${TMPDIR:-/tmp}/lifecycle-postgres-${port}}"
data="${base}/data"
sockets="${base}/run"
log="${base}/postgres.log"
db_user=lifecycle
db_password=lifecycle
db_name=lifecycle

say() { echo "postgres.sh: $*" >&2; }

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin="$(find_bin)"
if [[ -z "${bin}" || ! -x "${bin}/initdb" || ! -x "${bin}/pg_ctl" ]]; then
  if [[ "$(id -u)" -ne 0 ]]; then
    say "no PostgreSQL server binaries under /usr/lib/postgresql and not root: install postgresql first"
    exit 1
  fi
  say "installing PostgreSQL with apt-get"
  # The throwaway cluster below is all the tests need: keep the package from creating and starting
  # its own cluster on port 5432.
  mkdir -p /etc/postgresql-common
  if ! grep -qs '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf; then
    echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  fi
  # Keep that file as written rather than stop to ask (dpkg and ucf both manage /etc files).
  export DEBIAN_FRONTEND=noninteractive UCF_FORCE_CONFFOLD=1
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postgresql >&2
  bin="$(find_bin)"
  if [[ -z "${bin}" || ! -x "${bin}/initdb" ]]; then
    say "apt-get installed postgresql but no initdb appeared under /usr/lib/postgresql/*/bin"
    exit 1
  fi
fi

# Everything of the cluster runs as its owner: postgres when we are root (the server refuses root).
if [[ "$(id -u)" -eq 0 ]]; then
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

ready() {
  "${bin}/pg_isready" -q -h 127.0.0.1 -p "${port}" -t 2
}

psql_owner() {
  as_owner "${bin}/psql" -X -q -v ON_ERROR_STOP=1 -h "${sockets}" -p "${port}" -U postgres \
    -d postgres "$@"
}

if ready && [[ -S "${sockets}/.s.PGSQL.${port}" ]]; then
  say "reusing the cluster in ${data} on 127.0.0.1:${port}"
else
  if ready; then
    say "port ${port} is taken by a server this script did not start (its socket is not in ${sockets})"
    exit 1
  fi
  if [[ -d "${data}" ]]; then
    say "removing the stale cluster in ${data}"
    as_owner "${bin}/pg_ctl" -D "${data}" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "${base}"
  fi
  mkdir -p "${base}" "${sockets}"
  chown "${owner}" "${base}" "${sockets}"
  chmod 700 "${base}" "${sockets}"
  say "creating a cluster in ${data} with ${bin}"
  as_owner "${bin}/initdb" -D "${data}" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  # fsync=off: the cluster is thrown away with the machine, and tests run faster without it.
  as_owner "${bin}/pg_ctl" -D "${data}" -l "${log}" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${sockets} -c fsync=off" start >&2
fi

for _ in $(seq 1 60); do
  if ready; then
    break
  fi
  sleep 1
done
if ! ready; then
  say "PostgreSQL did not become ready on 127.0.0.1:${port}; its log:"
  tail -n 50 "${log}" >&2 || true
  exit 1
fi

psql_owner <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${db_user}') THEN
    CREATE ROLE ${db_user} LOGIN PASSWORD '${db_password}';
  END IF;
END
\$\$;
SQL
if [[ "$(psql_owner -tA -c "SELECT 1 FROM pg_database WHERE datname = '${db_name}'")" != "1" ]]; then
  psql_owner -c "CREATE DATABASE ${db_name} OWNER ${db_user}"
fi

say "PostgreSQL is ready on 127.0.0.1:${port} (database ${db_name}, user ${db_user})"
echo "export LIFECYCLE_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:${port}/${db_name}"
echo "export LIFECYCLE_TEST_POSTGRES_USER=${db_user}"
echo "export LIFECYCLE_TEST_POSTGRES_PASSWORD=${db_password}"
