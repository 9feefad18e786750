#!/usr/bin/env bash
# Makes sure the browsers the specs run in are installed: headless Chromium (WebGPU through its bundled
# SwiftShader) and Firefox (WebGPU through Vulkan, for which a GPU-less machine needs Mesa's lavapipe).
# On Debian/Ubuntu as root it installs what is missing; elsewhere it says what to install and fails,
# so `npm test` stops before karma reports a browser that cannot start.
set -euo pipefail

PACKAGES=(chromium firefox-esr mesa-vulkan-drivers)

have() { command -v "$1" >/dev/null 2>&1; }

missing=()
# The same lookups karma.conf.js makes.
chromium_bin="${CHROMIUM_BIN:-${CHROME_BIN:-}}"
if [[ -n "$chromium_bin" ]]; then
  have "$chromium_bin" || missing+=("Chromium (CHROMIUM_BIN/CHROME_BIN=$chromium_bin not found)")
elif ! have chromium && ! have chromium-browser; then
  missing+=("Chromium")
fi
if [[ -n "${FIREFOX_BIN:-}" ]]; then
  have "$FIREFOX_BIN" || missing+=("Firefox (FIREFOX_BIN=$FIREFOX_BIN not found)")
elif ! have firefox && ! have firefox-esr; then
  missing+=("Firefox")
fi
# Firefox finds Vulkan drivers through ICD manifests. Any driver will do: lavapipe where there is no
# GPU, a vendor's driver where there is one.
if [[ "$(uname -s)" == Linux ]] &&
  ! compgen -G '/usr/share/vulkan/icd.d/*.json' >/dev/null &&
  ! compgen -G '/etc/vulkan/icd.d/*.json' >/dev/null; then
  missing+=("a Vulkan driver (Mesa's lavapipe on a machine without GPU)")
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Missing for the browser tests:" >&2
printf '  - %s\n' "${missing[@]}" >&2
if [[ "$(id -u)" == 0 ]] && have apt-get; then
  echo "Installing ${PACKAGES[*]} with apt-get." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${PACKAGES[@]}"
  exit 0
fi

cat >&2 <<EOF
Install them, then run the tests again:
  Debian/Ubuntu:  sudo apt-get install ${PACKAGES[*]}
  elsewhere:      Chromium (or Chrome), a recent Firefox (the CI runs Firefox ESR) and, on Linux, a
                  Vulkan driver for Firefox's WebGPU (Mesa's lavapipe where there is no GPU).
Point CHROMIUM_BIN (or CHROME_BIN) and FIREFOX_BIN at the binaries if they are not on the PATH.
EOF
exit 1
