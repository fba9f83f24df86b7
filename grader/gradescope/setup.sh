#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source when it builds the
# autograder image (the network is there then, not while grading): Node.js 20+,
# the course's packages, and the compiled grader.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 20 ]; then
  apt-get update -qq
  candidate=$(apt-cache policy nodejs | sed -n 's/^ *Candidate: *//p')
  major=${candidate#*:}
  major=${major%%.*}
  if [[ $major =~ ^[0-9]+$ ]] && ((major >= 20)); then
    apt-get install -y -qq --no-install-recommends nodejs npm
  else
    # Gradescope's Ubuntu images package Node 12 (22.04) or 18 (24.04): take 20 from NodeSource.
    apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg
    curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
    apt-get install -y -qq nodejs
  fi
fi
echo "node $(node --version), npm $(npm --version)"

# --ignore-scripts: zeromq (tslab's, for Jupyter only) would want a prebuilt
# download or a compiler. The one native module grading needs, isolated-vm (the
# sandbox boundary), is installed on its own: its prebuilt binary, or a build
# with the compiler installed here. Grading refuses to run without it.
npm ci --ignore-scripts --no-audit --no-fund
if ! (cd node_modules/isolated-vm && npm run install --silent) || ! node -e 'require("isolated-vm")'; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends g++ make python3
  (cd node_modules/isolated-vm && npx --yes node-gyp rebuild --release -j max)
fi
node -e 'require("isolated-vm")'
npm run build
test -f dist/grader/cli.js
