# Sourced before the README's walkthrough: `curl` becomes a function that runs the real curl,
# counts the call, and checks the reply against the README (check-reply.js). A GET whose reply
# does not match yet is asked again for a while, as a reader would (emails go out after events);
# anything else fails the script at once.
set -euo pipefail
curl() {
  local n retry=yes out deadline=$((SECONDS + 20))
  n=$(($(cat "$WALK_DIR/count") + 1))
  echo "$n" >"$WALK_DIR/count"
  for arg in "$@"; do case "$arg" in -d | --data* | -X | --json) retry=no ;; esac; done
  while :; do
    out=$(command curl -sS -w '\n%{http_code}' "$@") || { echo "walkthrough: curl #$n failed: $*" >&2; return 1; }
    if node "$WALK_DIR/check-reply.js" "$WALK_DIR/steps.json" "$n" "$out" 2>"$WALK_DIR/mismatch"; then break; fi
    if [ "$retry" = no ] || [ "$SECONDS" -ge "$deadline" ]; then cat "$WALK_DIR/mismatch" >&2; return 1; fi
    sleep 0.5
  done
  printf '%s\n' "${out%$'\n'*}"
}
