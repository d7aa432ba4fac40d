# shellcheck shell=bash
# Sourced: pinned_venv DIR REQUIREMENT... — a Python venv holding exactly those pinned
# requirements (PyPI). A stamp written after the install says so, so a second call installs nothing.
pinned_venv() {
  local venv=$1; shift
  local pins="$*"
  [ "$(cat "$venv/.pins" 2>/dev/null)" != "$pins" ] || return 0
  printf '[%s] installing %s into %s ...\n' "$(basename "$0" .sh)" "$pins" "$venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-input --disable-pip-version-check "$@"
  echo "$pins" >"$venv/.pins"
}
