#!/usr/bin/env bash
# Packs the SDK and its ASP.NET Core webhook helper into artifacts/packages and builds the samples against those
# packages (not the projects), so a broken package (missing dependency, README, XML docs, symbols) fails here.
# Usage: samples/build-from-package.sh
# Each run packs a unique prerelease of the version in src/Sdk/Directory.Build.props (VersionPrefix-local.<time>), so a
# package cached by an earlier run is never picked up by mistake; that version must have a CHANGELOG.md section.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/packages"
prefix="$(dotnet msbuild "$root/src/Sdk/PaymentGateway.Sdk/PaymentGateway.Sdk.csproj" -getProperty:VersionPrefix | tr -d '[:space:]')"
suffix="${PAYMENTGATEWAY_SDK_VERSION_SUFFIX:-local.$(date -u +%Y%m%d%H%M%S)}"
version="$prefix-$suffix"
grep -q "^## $prefix\$" "$root/src/Sdk/CHANGELOG.md" || { echo "src/Sdk/CHANGELOG.md has no '## $prefix' section" >&2; exit 1; }
configuration="${CONFIGURATION:-Release}"

mkdir -p "$out"

# pack_and_check <project dir under src/Sdk> <package id>: packs it, then checks the package carries the README, the
# XML docs, the symbols and the license expression.
pack_and_check() {
  local project="$1" id="$2"
  echo "== packing $id $version into $out"
  dotnet pack "$root/src/Sdk/$project/$project.csproj" -c "$configuration" -o "$out" -p:VersionSuffix="$suffix" --nologo

  local nupkg="$out/$id.$version.nupkg" snupkg="$out/$id.$version.snupkg"
  for file in "$nupkg" "$snupkg"; do
    [[ -f "$file" ]] || { echo "missing $file" >&2; exit 1; }
  done

  local listing
  listing="$(python3 - "$nupkg" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print("\n".join(z.namelist()))
nuspec = next(n for n in z.namelist() if n.endswith(".nuspec"))
print(z.read(nuspec).decode("utf-8-sig"))
PY
)"
  shift 2
  for expected in "README.md" "CHANGELOG.md" "<releaseNotes>" "lib/net10.0/$id.dll" "lib/net10.0/$id.xml" '<license type="expression">MIT</license>' "<readme>README.md</readme>" "$@"; do
    grep -qF "$expected" <<<"$listing" || { echo "$id package lacks: $expected" >&2; exit 1; }
  done
}

pack_and_check PaymentGateway.Sdk PaymentGateway.Sdk
# The helper must depend on the SDK package of the same version and on the ASP.NET Core shared framework.
pack_and_check PaymentGateway.Sdk.AspNetCore PaymentGateway.Sdk.AspNetCore \
  "<dependency id=\"PaymentGateway.Sdk\" version=\"$version\"" '<frameworkReference name="Microsoft.AspNetCore.App" />'

for sample in Quickstart MerchantWeb; do
  echo "== building samples/$sample against the package"
  dotnet build "$root/samples/$sample/$sample.csproj" -c "$configuration" --nologo \
    -p:UseSdkPackage=true -p:PaymentGatewaySdkVersion="$version"
done

echo "== samples built from PaymentGateway.Sdk and PaymentGateway.Sdk.AspNetCore $version"
