#!/usr/bin/env bash
# Copies the screenshots the end-to-end tests took (test-results/screenshots) into docs/images for the
# README and user docs. Tests never write into docs/ themselves, so a test run leaves the tree clean.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in devices devices-mdns-refused provisioning-live provisioning-results history certificates settings-account \
            wizard-1-identity wizard-2-advanced-ids wizard-2-subject wizard-3-validity wizard-4-review wizard-5-done \
            certificates-ca ca-wizard-review ca-wizard-trusted provisioning-own-identity provisioning-own-identity-results identities; do
  cp "test-results/screenshots/$name.png" "docs/images/$name.png"
done
echo "docs/images updated from test-results/screenshots"
