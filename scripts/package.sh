#!/usr/bin/env bash
# make package: the Linux packages (.deb and .rpm through nfpm, with the
# binary, the desktop entry, the icons and shell completions, depending on
# WebKitGTK 4.1 and GTK 3), a tarball, and the Windows flowbench.exe (the
# Wails Windows build needs no cgo), all into build/dist/.
# Expects the frontend built (make package does that first).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${VERSION:-$(sed -n 's/^var Version = "\(.*\)"$/\1/p' app/app.go)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
ARCH=${ARCH:-$(go env GOARCH)}
DIST=build/dist
STAGE=build/bin/stage
TOOLS=$PWD/build/bin/tools
LDFLAGS="-w -s -X github.com/flowbench/flowbench/app.Version=$VERSION -X github.com/flowbench/flowbench/app.Commit=$COMMIT"
export GOFLAGS=-buildvcs=false VERSION ARCH STAGE

[ -f frontend/dist/index.html ] || { echo "package: build the frontend first (make frontend)" >&2; exit 1; }
rm -rf "$STAGE" "$DIST"
mkdir -p "$STAGE/completions" "$DIST" "$TOOLS"

echo "package: flowbench $VERSION ($COMMIT) linux/$ARCH"
go build -tags desktop,production,webkit2_41 -ldflags "$LDFLAGS" -o "$STAGE/flowbench" .
"$STAGE/flowbench" completion bash > "$STAGE/completions/flowbench.bash"
"$STAGE/flowbench" completion zsh > "$STAGE/completions/_flowbench"
"$STAGE/flowbench" completion fish > "$STAGE/completions/flowbench.fish"

# nfpm, pinned in build/tools/go.sum
[ -x "$TOOLS/nfpm" ] || (cd build/tools && go build -o "$TOOLS/nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm)
"$TOOLS/nfpm" package --config build/linux/nfpm.yaml --packager deb --target "$DIST/"
"$TOOLS/nfpm" package --config build/linux/nfpm.yaml --packager rpm --target "$DIST/"

# tarball: the same files, to unpack anywhere
T=flowbench-$VERSION-linux-$ARCH
mkdir -p "$STAGE/$T/completions"
cp "$STAGE/flowbench" build/linux/flowbench.desktop README.md "$STAGE/$T/"
cp build/linux/flowbench-512.png "$STAGE/$T/flowbench.png"
cp "$STAGE"/completions/* "$STAGE/$T/completions/"
tar -C "$STAGE" -czf "$DIST/$T.tar.gz" "$T"

# Windows: icon, manifest and version info as a .syso, then a cgo-free build
SYSO=rsrc_windows_amd64.syso
trap 'rm -f "$SYSO"' EXIT
(cd build/tools && go run ./winres -project ../.. -arch amd64 -version "$VERSION" -o "../../$SYSO")
GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags desktop,production -ldflags "$LDFLAGS -H windowsgui" -o "$DIST/flowbench.exe" .
rm -f "$SYSO"

ls -l "$DIST"
