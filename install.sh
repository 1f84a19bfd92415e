#!/bin/sh
# Installs mfa-env from this checkout: dependencies, build, and a link on your PATH.
set -eu
cd "$(dirname "$0")"
bin_dir=${MFA_ENV_BIN_DIR:-$HOME/.local/bin}

command -v node >/dev/null 2>&1 || { echo "install.sh: Node.js >= 20 is required (https://nodejs.org)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "install.sh: Node.js >= 20 is required, found $(node --version)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "install.sh: npm is required (it comes with Node.js)" >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
mkdir -p "$bin_dir"
ln -sf "$(pwd)/bin/mfa-env.js" "$bin_dir/mfa-env"
echo "install.sh: linked $bin_dir/mfa-env"
