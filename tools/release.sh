#!/bin/sh
# Release builds of tierdesk: static (CGO_ENABLED=0) binaries for each
# platform, stamped with the version (`tierdesk version` prints it), packed
# with the README and the systemd unit, with SHA256SUMS.
#
#   tools/release.sh [VERSION] [OUTDIR]      (PLATFORMS="linux/amd64 linux/arm64")
set -eu
cd "$(dirname "$0")/.."
version="${1:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
out="${2:-dist}"
platforms="${PLATFORMS:-linux/amd64 linux/arm64}"
mkdir -p "$out"
for p in $platforms; do
  os="${p%/*}" arch="${p#*/}"
  name="tierdesk-$version-$os-$arch"
  stage="$out/$name"
  rm -rf "$stage" && mkdir -p "$stage"
  echo "release: building $name"
  CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath -buildvcs=true \
    -ldflags "-s -w -X main.version=$version" -o "$stage/tierdesk" ./cmd/tierdesk
  cp README.md deploy/tierdesk.service "$stage/"
  tar -C "$out" -czf "$out/$name.tar.gz" "$name"
  rm -rf "$stage"
done
(cd "$out" && sha256sum tierdesk-"$version"-*.tar.gz > SHA256SUMS)
echo "release: $(cat "$out/SHA256SUMS" | wc -l) archives in $out"
