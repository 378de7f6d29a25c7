#!/usr/bin/env bash
# Builds the baseline (the library at BASE, default: the commit before the telemetry, fbc8b27) from a copy of that
# tree (git archive: the repository is not touched) with this worker project, builds this branch's worker, and runs
# the paired rounds. Usage: benchmarks/Storage.TelemetryCost/run.sh [rounds] [base commit]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds="${1:-31}"
base="${2:-fbc8b27}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git archive "$base" | tar -x -C "$work"
rm -rf "$work/benchmarks/Storage.TelemetryCost"
cp -r benchmarks/Storage.TelemetryCost "$work/benchmarks/"
rm -rf "$work/benchmarks/Storage.TelemetryCost/bin" "$work/benchmarks/Storage.TelemetryCost/obj"
dotnet build "$work/benchmarks/Storage.TelemetryCost" -c Release -p:Baseline=true -v q --nologo
dotnet build benchmarks/Storage.TelemetryCost -c Release -v q --nologo
dotnet benchmarks/Storage.TelemetryCost/bin/Release/net10.0/GatewayStorage.TelemetryCost.dll --drive \
  "$work/benchmarks/Storage.TelemetryCost/bin/Release/net10.0/GatewayStorage.TelemetryCost.dll" \
  benchmarks/TELEMETRY-RESULTS.md "$rounds"
