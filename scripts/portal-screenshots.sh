#!/usr/bin/env bash
# Takes the screenshots of the portal's main pages shown in the README (docs/portal/*.png): runs the portal's
# accessibility test, which saves them when BROKER_PORTAL_SCREENSHOTS names a folder. Re-run after changing a page.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/portal-tools/install.sh
dotnet build tests/Broker.Tests -c Release
BROKER_PORTAL_SCREENSHOTS="$PWD/docs/portal" dotnet test tests/Broker.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Broker.Tests.Portal.PortalAccessibilityTests"
ls -1 docs/portal/*.png
