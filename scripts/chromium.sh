#!/usr/bin/env bash
# Installs Debian's Chromium for the headless rendering test of the mails
# (shared/app/report: TestMailsRenderInChromium), and the CJK fonts without
# which Chinese mails render as empty boxes. Idempotent: exits 0 at once
# when /usr/bin/chromium and the fonts are already there.
#
# Usage: scripts/chromium.sh
#   as root   apt-get update, then apt-get install what is missing of
#             chromium and fonts-noto-cjk
#   otherwise prints the sudo command to run and exits 1 (only a warning
#             when Chromium is there and just the fonts are missing)
set -euo pipefail

CHROMIUM=/usr/bin/chromium
FONTS=fonts-noto-cjk

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
[[ -x "$CHROMIUM" ]] || missing+=(chromium)
installed "$FONTS" || missing+=("$FONTS")

if ((${#missing[@]} == 0)); then
  echo "chromium: $CHROMIUM and $FONTS are installed"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  if [[ -x "$CHROMIUM" ]]; then
    echo "chromium: $CHROMIUM is installed but $FONTS is not: Chinese text will render as boxes;" >&2
    echo "  sudo apt-get install -y --no-install-recommends $FONTS" >&2
    exit 0
  fi
  echo "chromium: $CHROMIUM is missing; install it with:" >&2
  echo "  sudo $0" >&2
  echo "or: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing ${missing[*]} from Debian"
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
[[ -x "$CHROMIUM" ]] || { echo "chromium: $CHROMIUM still missing after apt-get install" >&2; exit 1; }
echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
