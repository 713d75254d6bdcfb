#!/usr/bin/env bash
# Installs the Debian packages the test suite drives (run as root; skips what is present):
# Chromium for the report's browser tests, and Ceph (mon, osd, radosgw) for the S3 store tests.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v ceph-mon >/dev/null || missing+=(ceph-mon)
command -v ceph-osd >/dev/null || missing+=(ceph-osd)
command -v radosgw >/dev/null || missing+=(radosgw)
command -v ceph >/dev/null || missing+=(ceph-common)
command -v curl >/dev/null || missing+=(curl)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
