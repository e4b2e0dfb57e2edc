#!/bin/sh
# The contract itself is valid OpenAPI: Redocly's linter (pinned in
# package.json) finds no error in docs/api/openapi.yaml.
set -eu
: "${SRCDIR:?}"
redocly=$SRCDIR/node_modules/.bin/redocly
[ -x "$redocly" ] || { echo "FAIL: no $redocly: run tools/install-deps (it runs npm ci)" >&2; exit 1; }
cd "$SRCDIR"
"$redocly" lint --format=stylish docs/api/openapi.yaml
