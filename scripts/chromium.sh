#!/usr/bin/env bash
# Installs Debian's Chromium for the headless rendering test of the team
# report (shared/report: TestTeamReportRendersInChromium) and the CJK fonts
# that Chinese mails need in the screenshots. Idempotent: exits 0 at once
# when /usr/bin/chromium is already there.
#
# Usage: scripts/chromium.sh
#   as root   apt-get update, then apt-get install chromium fonts-noto-cjk
#   otherwise prints the sudo command to run and exits 1
set -euo pipefail

CHROMIUM=/usr/bin/chromium
PACKAGES=(chromium fonts-noto-cjk)

if [[ -x "$CHROMIUM" ]]; then
  echo "chromium: $CHROMIUM is installed"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  echo "chromium: $CHROMIUM is missing; install it with:" >&2
  echo "  sudo $0" >&2
  echo "or: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "chromium: installing ${PACKAGES[*]} from Debian"
apt-get update
apt-get install -y --no-install-recommends "${PACKAGES[@]}"
[[ -x "$CHROMIUM" ]] || { echo "chromium: $CHROMIUM still missing after apt-get install" >&2; exit 1; }
echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
