#!/usr/bin/env bash
# docker-compose.yml's one-shot `secret-init` service. Each service has its own secrets volume and
# mounts only that one, so the bank cannot read retirement's database password, nor the reverse:
#   /secrets/bank        jwt-secret, db-password (the bank's role)        owner node (1000)
#   /secrets/retirement  jwt-secret, db-password (retirement's role)      owner node (1000)
#   /secrets/postgres    postgres-password, bank-db-password, retirement-db-password
#                        (the superuser's, and the two roles' for init-databases.sh)  owner postgres (999)
# Both services get the JWT secret: the bank signs with it and retirement verifies with it (hs256).
# A secret generated on an earlier start is kept, so tokens and database passwords survive restarts;
# `docker compose down -v` deletes them with the data. Runs in the database image (bash and
# coreutils are all it needs), so no Nestegg image has to exist before it.
set -euo pipefail
ROOT=${1:-/secrets}
NODE=1000
POSTGRES=999

# The first of the files that exists, else 48 random bytes in base64url.
existing_or_new () {
  local file
  for file in "$@"; do if [ -s "$file" ]; then cat "$file"; return; fi; done
  head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='
}

# write VALUE UID FILE: owner-only (0400), replaced atomically.
write () {
  local value=$1 owner=$2 file=$3
  printf '%s' "$value" > "$file.tmp"
  chown "$owner:$owner" "$file.tmp"
  chmod 0400 "$file.tmp"
  mv -f "$file.tmp" "$file"
}

jwt=$(existing_or_new "$ROOT/bank/jwt-secret" "$ROOT/retirement/jwt-secret")
postgres=$(existing_or_new "$ROOT/postgres/postgres-password")
bank=$(existing_or_new "$ROOT/postgres/bank-db-password" "$ROOT/bank/db-password")
retirement=$(existing_or_new "$ROOT/postgres/retirement-db-password" "$ROOT/retirement/db-password")

write "$jwt" $NODE "$ROOT/bank/jwt-secret"
write "$bank" $NODE "$ROOT/bank/db-password"
write "$jwt" $NODE "$ROOT/retirement/jwt-secret"
write "$retirement" $NODE "$ROOT/retirement/db-password"
write "$postgres" $POSTGRES "$ROOT/postgres/postgres-password"
write "$bank" $POSTGRES "$ROOT/postgres/bank-db-password"
write "$retirement" $POSTGRES "$ROOT/postgres/retirement-db-password"
# Only the owner may list or enter a volume's root.
chown $NODE:$NODE "$ROOT/bank" "$ROOT/retirement" && chmod 0700 "$ROOT/bank" "$ROOT/retirement"
chown $POSTGRES:$POSTGRES "$ROOT/postgres" && chmod 0700 "$ROOT/postgres"
echo "secret-init: secrets ready for bank, retirement and postgres (values never printed)"
