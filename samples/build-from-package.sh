#!/usr/bin/env bash
# Packs the SDK into artifacts/packages and builds the samples against that package (not the project), so a broken
# package (missing dependency, README, XML docs, symbols) fails here. Usage: samples/build-from-package.sh
# Each run packs a unique prerelease version so a package cached by an earlier run is never picked up by mistake.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/artifacts/packages"
version="${PAYMENTGATEWAY_SDK_VERSION:-0.1.0-local.$(date -u +%Y%m%d%H%M%S)}"
configuration="${CONFIGURATION:-Release}"

mkdir -p "$out"
echo "== packing PaymentGateway.Sdk $version into $out"
dotnet pack "$root/src/Sdk/PaymentGateway.Sdk/PaymentGateway.Sdk.csproj" -c "$configuration" -o "$out" -p:Version="$version" --nologo

nupkg="$out/PaymentGateway.Sdk.$version.nupkg"
snupkg="$out/PaymentGateway.Sdk.$version.snupkg"
for file in "$nupkg" "$snupkg"; do
  [[ -f "$file" ]] || { echo "missing $file" >&2; exit 1; }
done

# The package must carry the README, the XML docs and the license expression.
listing="$(python3 - "$nupkg" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print("\n".join(z.namelist()))
nuspec = next(n for n in z.namelist() if n.endswith(".nuspec"))
print(z.read(nuspec).decode("utf-8-sig"))
PY
)"
for expected in "README.md" "lib/net10.0/PaymentGateway.Sdk.dll" "lib/net10.0/PaymentGateway.Sdk.xml" '<license type="expression">MIT</license>' "<readme>README.md</readme>"; do
  grep -qF "$expected" <<<"$listing" || { echo "package lacks: $expected" >&2; exit 1; }
done

for sample in Quickstart MerchantWeb; do
  echo "== building samples/$sample against the package"
  dotnet build "$root/samples/$sample/$sample.csproj" -c "$configuration" --nologo \
    -p:UseSdkPackage=true -p:PaymentGatewaySdkVersion="$version"
done

echo "== samples built from PaymentGateway.Sdk $version"
