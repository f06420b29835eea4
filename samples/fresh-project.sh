#!/usr/bin/env bash
# Does exactly what the README's "Installing it" section says, on a fresh home folder (no NuGet cache, no user
# config, no earlier package): packs a release build of the SDK into a local feed, creates a console app with
# `dotnet new console`, adds the package with the README's nuget.config (no --prerelease), replaces Program.cs with
# the README's snippet and runs it against a gateway at http://127.0.0.1:5080 (the README's address).
# Usage: PG_SK=sk_test_… samples/fresh-project.sh   (a gateway must be running on 127.0.0.1:5080)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -n "${PG_SK:-}" ]] || { echo "PG_SK is not set (the demo merchant's test secret key)" >&2; exit 2; }

machine_packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
unset NUGET_PACKAGES
mkdir -p "$HOME"

block() { # the fenced code between <!-- $1:begin --> and <!-- $1:end --> in the README
  awk -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '$0==b{f=1;next}$0==e{f=0}f' "$root/README.md" | sed '/^```/d'
}
block sdk-pack > "$work/pack.sh"
block sdk-install > "$work/install.sh"
block sdk-program > "$work/Program.cs"
[[ -s "$work/pack.sh" && -s "$work/install.sh" && -s "$work/Program.cs" ]] || { echo "the README's sdk-pack/sdk-install/sdk-program blocks are missing" >&2; exit 1; }

echo "== $(date -u +%T) the README's pack command (HOME=$HOME; the repository's own restore may use the machine's package cache)"
(cd "$root" && NUGET_PACKAGES="$machine_packages" bash -e "$work/pack.sh")
echo "== $(date -u +%T) the README's install commands (HOME=$HOME, an empty package cache)"
(cd "$HOME" && bash -e "$work/install.sh")
app="$HOME/MyShop"
grep -q 'PackageReference Include="PaymentGateway.Sdk"' "$app/MyShop.csproj" || { echo "MyShop.csproj has no PaymentGateway.Sdk reference" >&2; exit 1; }
version="$(sed -n 's/.*PackageReference Include="PaymentGateway.Sdk" Version="\([^"]*\)".*/\1/p' "$app/MyShop.csproj")"
echo "== $(date -u +%T) MyShop references PaymentGateway.Sdk $version"
[[ "$version" != *-* ]] || { echo "the release pack produced a prerelease version: $version" >&2; exit 1; }

echo "== $(date -u +%T) the README's Program.cs, run against http://127.0.0.1:5080"
cp "$work/Program.cs" "$app/Program.cs"
output="$(cd "$app" && dotnet run 2>&1)" || { echo "$output"; exit 1; }
echo "$output"
grep -Eq '^pay_[0-9a-z]+: succeeded, received 2000 EUR$' <<<"$output" || { echo "unexpected output" >&2; exit 1; }
echo "== $(date -u +%T) a fresh project made a payment with PaymentGateway.Sdk $version from the local feed"
