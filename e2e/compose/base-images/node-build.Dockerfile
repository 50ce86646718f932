# The build stage's toolchain: better-sqlite3 compiles from source against /usr/local/include/node.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
