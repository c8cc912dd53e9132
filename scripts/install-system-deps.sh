#!/usr/bin/env bash
# Installs the Debian package the end-to-end tests need beside the browser (scripts/browser.mjs
# finds or installs that): libkrb5-dev, for code-server's native kerberos module. Idempotent.
set -euo pipefail
[ -f /usr/include/gssapi/gssapi.h ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian package: libkrb5-dev"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=300 libkrb5-dev >/dev/null
