#!/usr/bin/env bash
# Vendor the rasa-webchat widget (the one Rasa sites embed) as a static file, from the npm registry:
#   bash scripts/vendor_rasa_webchat.sh [version]     (default 1.0.1, the boilerplate's version)
# Writes faq_bot/static/faq_bot/vendor/rasa-webchat/webchat-<version>.js (the package's UMD bundle,
# lib/index.js, which exposes window.WebChat), its Apache-2.0 LICENSE and SHA256SUMS. Needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${1:-1.0.1}"
DEST=faq_bot/static/faq_bot/vendor/rasa-webchat
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "rasa-webchat@${VERSION}" >/dev/null && tar xzf "rasa-webchat-${VERSION}.tgz")
grep -q '"license": "Apache-2.0"' "$TMP/package/package.json" || { echo "licence changed: check it before vendoring" >&2; exit 1; }
mkdir -p "$DEST"
cp "$TMP/package/lib/index.js" "$DEST/webchat-${VERSION}.js"
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
(cd "$DEST" && sha256sum "webchat-${VERSION}.js" LICENSE > SHA256SUMS)
echo "rasa-webchat ${VERSION} → ${DEST}"
cat "$DEST/SHA256SUMS"
