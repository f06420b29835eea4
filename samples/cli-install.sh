#!/usr/bin/env bash
# Does what docs/cli.md's "Install" says, in a fresh home folder (no NuGet cache, no user config, no earlier tool):
# packs the CLI in Release into a local feed, installs it with `dotnet tool install --global`, then uses the installed
# `pgw` against a gateway at http://127.0.0.1:5080: login (file key store), trigger a payment, list it.
# Usage: PG_SK=sk_test_… samples/cli-install.sh   (a gateway must be running on 127.0.0.1:5080)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -n "${PG_SK:-}" ]] || { echo "PG_SK is not set (the demo merchant's test secret key)" >&2; exit 2; }

machine_packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
unset NUGET_PACKAGES
mkdir -p "$HOME"

awk '$0=="<!-- cli-install:begin -->"{f=1;next}$0=="<!-- cli-install:end -->"{f=0}f' "$root/docs/cli.md" | sed '/^```/d' > "$work/install.sh"
[[ -s "$work/install.sh" ]] || { echo "docs/cli.md has no cli-install block" >&2; exit 1; }
grep -q 'dotnet tool install' "$work/install.sh" || { echo "the cli-install block does not install the tool" >&2; exit 1; }

echo "== $(date -u +%T) docs/cli.md's install lines (HOME=$HOME; the pack's restore may use the machine's package cache)"
(cd "$root" && NUGET_PACKAGES="$machine_packages" bash -e "$work/install.sh")
pgw="$HOME/.dotnet/tools/pgw"
[[ -x "$pgw" ]] || { echo "no pgw at $pgw after dotnet tool install --global" >&2; exit 1; }
version="$(cd "$HOME" && dotnet tool list --global | awk '$1=="paymentgateway.cli"{print $2}')"
echo "== $(date -u +%T) installed PaymentGateway.Cli $version"
[[ -n "$version" && "$version" != *-* ]] || { echo "not a stable release version: '$version'" >&2; exit 1; }

echo "== $(date -u +%T) the installed pgw against http://127.0.0.1:5080"
"$pgw" login --api-key "$PG_SK" --base-url http://127.0.0.1:5080 --key-store file
payment="$("$pgw" trigger payment.succeeded)"
echo "$payment"
id="$(grep -o 'pay_[0-9a-z]*' <<<"$payment" | head -n 1)"
[[ -n "$id" ]] || { echo "trigger printed no payment id" >&2; exit 1; }
listed="$("$pgw" payments get "$id" --json)"
grep -q '"status": "succeeded"' <<<"$listed" || { echo "$listed"; echo "the triggered payment is not succeeded" >&2; exit 1; }
echo "== $(date -u +%T) the installed pgw $version made and read $id"
