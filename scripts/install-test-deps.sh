#!/usr/bin/env bash
# Installs what the test suites need on a Debian machine (run as root). Idempotent: whatever is
# already installed and working is reused, so a second run takes a second or two.
#
#   chromium      Debian package. Browser-mode e2e tests find it via CHROMIUM_PATH
#                 (default /usr/bin/chromium).
#   redis-server  Debian package. Tests of the Redis poke bus start their own instance.
#   ferretdb      MongoDB wire-compatible server over SQLite, built from source with Go. The MongoDB
#                 store's contract tests run against it where MongoDB itself is not installable.
#                 Tests find it via FERRETDB_BIN (default "$(go env GOPATH)/bin/ferretdb";
#                 the binaries go to $GOBIN instead when that is set).
#   actionlint    GitHub Actions workflow linter, built with `go install`; .ci/run uses it.
#
# This script exports nothing: the defaults above are what the tests look for.
set -euo pipefail

readonly FERRETDB_MODULE='github.com/FerretDB/FerretDB'
readonly FERRETDB_VERSION='v1.24.2'
readonly ACTIONLINT_MODULE='github.com/rhysd/actionlint/cmd/actionlint'
readonly ACTIONLINT_VERSION='v1.7.12'

log() { printf '[install-test-deps %(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() {
  log "ERROR: $*" >&2
  exit 1
}

install_apt_packages() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if ((${#missing[@]} == 0)); then
    log "apt: chromium and redis-server already installed"
    return
  fi
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  log "apt: done"
}

# is_built BIN VERSION: the binary exists, runs, and reports VERSION. The output is captured
# before matching: `BIN --version | grep -q` under pipefail fails at random, since grep quits at
# the first match and BIN then dies of SIGPIPE writing the rest of its lines.
is_built() {
  [[ -x $1 ]] || return 1
  local reported
  reported="$("$1" --version 2>&1)" || return 1
  [[ $reported == *"$2"* ]]
}

install_actionlint() {
  local bin="$go_bin/actionlint"
  if is_built "$bin" "$ACTIONLINT_VERSION"; then
    log "actionlint $ACTIONLINT_VERSION: already built"
    return
  fi
  log "actionlint $ACTIONLINT_VERSION: go install (under a minute on first run)..."
  local started=$SECONDS
  GOBIN="$go_bin" go install "$ACTIONLINT_MODULE@$ACTIONLINT_VERSION" </dev/null
  is_built "$bin" "$ACTIONLINT_VERSION" || fail "actionlint built but '$bin --version' fails"
  log "actionlint: built in $((SECONDS - started))s"
}

# A plain `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start: the module
# zip lacks the generated build/version/version.txt. So build from a copy of the module source
# with that file written, which is what FerretDB's own `task gen-version` does.
install_ferretdb() {
  local bin="$go_bin/ferretdb"
  if is_built "$bin" "$FERRETDB_VERSION"; then
    log "ferretdb $FERRETDB_VERSION: already built"
    return
  fi
  log "ferretdb $FERRETDB_VERSION: downloading module source..."
  local started=$SECONDS module_dir
  module_dir="$(go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" </dev/null |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d $module_dir ]] || fail "go mod download gave no source directory for FerretDB"
  ferretdb_src="$(mktemp -d)"
  trap 'rm -rf "$ferretdb_src"' EXIT
  cp -R "$module_dir/." "$ferretdb_src"
  chmod -R u+w "$ferretdb_src"
  printf '%s\n' "$FERRETDB_VERSION" >"$ferretdb_src/build/version/version.txt"
  log "ferretdb $FERRETDB_VERSION: go build (a few minutes on first run, pure Go SQLite)..."
  (cd "$ferretdb_src" && GOFLAGS='-buildvcs=false -trimpath' go build -o "$bin" ./cmd/ferretdb </dev/null)
  is_built "$bin" "$FERRETDB_VERSION" || fail "ferretdb built but '$bin --version' fails"
  log "ferretdb: built in $((SECONDS - started))s"
}

command -v go >/dev/null 2>&1 || fail "go is required to build ferretdb and actionlint (Go >= 1.22)"
go_bin="$(go env GOBIN)"
[[ -n $go_bin ]] || go_bin="$(go env GOPATH)/bin"
mkdir -p "$go_bin"

install_apt_packages
install_ferretdb
install_actionlint

log "chromium:     /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
log "redis-server: $(command -v redis-server) ($(redis-server --version | cut -d' ' -f3))"
log "ferretdb:     $go_bin/ferretdb"
log "actionlint:   $go_bin/actionlint"
