#!/usr/bin/env bash
# Runs the test suite with every variable mldp or its tests read set to a hostile value, then
# with all of them unset: the tests must pass whatever the caller's shell holds (issue 24).
#
#   scripts/test-hostile-env.sh                      # both runs, every project
#   scripts/test-hostile-env.sh hostile download     # one run, some projects
#
# Nx's cache is skipped, or the second and third runs would replay the first one's results.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-both}
case "$mode" in hostile | unset | both) shift || true ;; *) mode=both ;; esac
projects=("$@")
export NX_DAEMON=false NX_NO_CLOUD=true

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A file where folders are expected: nothing can be created under it, not even by root.
touch "$scratch/file"
unwritable=$scratch/file

# Every variable the code reads (grep -rn 'process.env\|env\.' packages apps) and those it might
# one day: another project, a store that cannot exist, a read-only flag, bogus AWS keys and endpoint.
hostile=(
  MLDP_STORE="$unwritable/store"
  MLDP_PROJECT=hostile_project
  MLDP_GROUP=hostile_group
  MLDP_RUN_ID=20000101-000000000-abcdef
  MLDP_PARENT_RUN=20000101-000000000-fedcba
  MLDP_CACHE_DIR="$unwritable/cache"
  MLDP_CACHE_MAX_SIZE=1
  MLDP_QUEUE=redis://127.0.0.1:9/0
  MLDP_QUEUE_PASSWORD=hostile
  MLDP_STORE_READONLY=1
  MLDP_DEBUG=1
  MLDP_S3_FORCE_PATH_STYLE=maybe
  MLDP_S3_MAX_ATTEMPTS=lots
  AWS_ACCESS_KEY_ID=AKIAHOSTILE
  AWS_SECRET_ACCESS_KEY=hostile
  AWS_SESSION_TOKEN=hostile
  AWS_REGION=mars-north-1
  AWS_DEFAULT_REGION=mars-north-1
  AWS_ENDPOINT_URL=http://127.0.0.1:9
  AWS_ENDPOINT_URL_S3=http://127.0.0.1:9
  AWS_PROFILE=hostile
  AWS_CONFIG_FILE="$unwritable/aws-config"
  AWS_SHARED_CREDENTIALS_FILE="$unwritable/aws-credentials"
  XDG_CACHE_HOME="$unwritable/xdg"
  FORCE_COLOR=1
  NO_COLOR=1
)

# The names to unset: those above, CI, and any other MLDP_* or AWS_* the shell holds (the
# harness's own MLDP_TEST_* switches stay).
names=(CI)
for assignment in "${hostile[@]}"; do names+=("${assignment%%=*}"); done
while IFS= read -r name; do names+=("$name"); done < <(compgen -e | grep -E '^(MLDP_|AWS_)' | grep -v '^MLDP_TEST_' || true)
unset_args=()
for name in "${names[@]}"; do unset_args+=(-u "$name"); done

select=()
[ ${#projects[@]} -gt 0 ] && select=(-p "$(IFS=,; echo "${projects[*]}")")
suite() {
  env "$@" npx nx run-many -t test --output-style=static --skip-nx-cache "${select[@]}"
}

if [ "$mode" != unset ]; then
  echo "== the test suite with hostile MLDP_*, AWS_*, XDG_CACHE_HOME, FORCE_COLOR and NO_COLOR, and CI unset"
  suite "${unset_args[@]}" "${hostile[@]}"
fi
if [ "$mode" != hostile ]; then
  echo "== the test suite with all of them unset"
  suite "${unset_args[@]}"
fi
