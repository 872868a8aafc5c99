#!/usr/bin/env bash
# Installs auditready into .venv and runs the demo: no Slack workspace needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
exec .venv/bin/auditready demo "$@"
