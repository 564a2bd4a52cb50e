# shellcheck shell=bash
# Sourced by scripts/viva and scripts/test: sets up system packages and .venv.
# Idempotent. When everything is in place it only runs dpkg-query and a hash
# of pyproject.toml (compared with .venv/.viva-setup-stamp).

VIVA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VIVA_VENV="$VIVA_ROOT/.venv"
VIVA_STAMP="$VIVA_VENV/.viva-setup-stamp"
VIVA_RUNTIME_APT=(libportaudio2 espeak-ng alsa-utils)
VIVA_TEST_APT=(pulseaudio pulseaudio-utils libasound2-plugins sox chromium iproute2)
_VIVA_APT_UPDATED=0
_VIVA_NO_APT_WARNED=0

_viva_say() { printf 'vivavoce: %s\n' "$*" >&2; }

_viva_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    _viva_say "need root to run: $*  (not root and no sudo)"
    return 1
  fi
}

# viva_need_apt PKG...: install the Debian packages that are missing.
viva_need_apt() {
  [ "$#" -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
    if [ "$_VIVA_NO_APT_WARNED" -eq 0 ]; then
      _VIVA_NO_APT_WARNED=1
      _viva_say "no apt-get here, so not installing system packages ($*)."
      _viva_say "  vivavoce needs PortAudio and eSpeak NG where the OS does not provide audio/speech:"
      _viva_say "  macOS: brew install portaudio espeak-ng   Fedora: sudo dnf install portaudio espeak-ng alsa-utils"
      _viva_say "  Arch: sudo pacman -S portaudio espeak-ng alsa-utils   (tests also need pulseaudio and sox)"
    fi
    return 0
  fi
  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
    case "$status" in
      ii*) ;;
      *) missing+=("$pkg") ;;
    esac
  done
  [ "${#missing[@]}" -gt 0 ] || return 0

  _viva_say "installing system packages: ${missing[*]}"
  if [ "$_VIVA_APT_UPDATED" -eq 0 ]; then
    _viva_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || {
      _viva_say "apt-get update failed"
      return 1
    }
    _VIVA_APT_UPDATED=1
  fi
  _viva_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends -o DPkg::Lock::Timeout=120 -o Dpkg::Use-Pty=0 "${missing[@]}" >&2 || {
    _viva_say "could not install: ${missing[*]}"
    return 1
  }
}

_viva_hash() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    cksum "$1" | cut -d' ' -f1,2
  fi
}

_viva_python_ok() { # a python >= 3.10?
  "$1" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1
}

_viva_find_python() {
  local py
  if [ -n "${VIVA_PYTHON:-}" ]; then # the user's choice, or nothing
    _viva_python_ok "$VIVA_PYTHON" && command -v "$VIVA_PYTHON"
    return
  fi
  for py in python3 python3.13 python3.12 python3.11 python3.10; do
    if command -v "$py" >/dev/null 2>&1 && _viva_python_ok "$py"; then
      command -v "$py"
      return 0
    fi
  done
  return 1
}

# viva_ensure_venv [EXTRAS]: .venv with vivavoce installed editable (plus EXTRAS,
# comma-separated). Re-installs when pyproject.toml changes.
viva_ensure_venv() {
  local want="${1:-}" hash stamp_hash="" stamp_extras="" extras e
  hash="$(_viva_hash "$VIVA_ROOT/pyproject.toml")"
  if [ -f "$VIVA_STAMP" ] && [ -x "$VIVA_VENV/bin/python" ]; then
    read -r stamp_hash stamp_extras <"$VIVA_STAMP" || true
  fi

  # Extras to install: what was installed before (when the venv is intact) plus
  # what is asked for, so scripts/viva and scripts/test do not undo each other.
  extras="$stamp_extras"
  local missing_extra=0
  for e in ${want//,/ }; do
    case ",$extras," in
      *",$e,"*) ;;
      *) extras="${extras:+$extras,}$e"; missing_extra=1 ;;
    esac
  done
  if [ "$stamp_hash" = "$hash" ] && [ "$missing_extra" -eq 0 ]; then
    return 0
  fi

  local py
  if ! py="$(_viva_find_python)"; then
    if command -v apt-get >/dev/null 2>&1; then
      viva_need_apt python3
      py="$(_viva_find_python)" || true
    fi
    if [ -z "$py" ]; then
      if [ -n "${VIVA_PYTHON:-}" ]; then
        _viva_say "VIVA_PYTHON=$VIVA_PYTHON is not a Python >= 3.10"
      else
        _viva_say "need Python >= 3.10 (python3 is: $(python3 --version 2>&1 || echo missing)); set VIVA_PYTHON=/path/to/python3.x"
      fi
      return 1
    fi
  fi

  if ! { [ -x "$VIVA_VENV/bin/python" ] && "$VIVA_VENV/bin/python" -m pip --version >/dev/null 2>&1; }; then
    _viva_say "creating virtual environment .venv with $py"
    if ! "$py" -m venv --clear "$VIVA_VENV" >/dev/null 2>&1; then
      # Debian/Ubuntu ship venv/ensurepip separately in python3-venv.
      rm -rf "$VIVA_VENV"
      if command -v apt-get >/dev/null 2>&1; then
        viva_need_apt python3-venv
      fi
      "$py" -m venv "$VIVA_VENV" || {
        rm -rf "$VIVA_VENV"
        _viva_say "could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)"
        return 1
      }
    fi
  fi
  if ! _viva_python_ok "$VIVA_VENV/bin/python"; then
    _viva_say ".venv has Python < 3.10; remove .venv and run again"
    return 1
  fi

  _viva_say "installing vivavoce${extras:+[$extras]} and its dependencies into .venv (the first time takes a few minutes)"
  "$VIVA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2 ||
    _viva_say "warning: could not upgrade pip; going on with the one in .venv"
  rm -f "$VIVA_STAMP"
  "$VIVA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -e "$VIVA_ROOT${extras:+[$extras]}" >&2 || {
    _viva_say "pip install failed (see above)"
    return 1
  }
  printf '%s %s\n' "$hash" "$extras" >"$VIVA_STAMP.tmp" && mv -f "$VIVA_STAMP.tmp" "$VIVA_STAMP"
  _viva_say "setup done"
}
