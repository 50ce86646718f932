#!/usr/bin/env bash
# Runs once, when the postgres container starts on an empty data volume (the image's
# /docker-entrypoint-initdb.d convention): one database per service, each owned by its own role
# whose password secret-init generated. No other role but the superuser may connect to it.
set -euo pipefail
SECRETS=${NESTEGG_SECRETS_DIR:-/run/nestegg-secrets}
for service in bank retirement; do
  password=$(< "$SECRETS/$service-db-password")
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    --set=service="$service" --set=password="$password" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
  echo "init-databases: database $service, owned by role $service"
done
