#!/usr/bin/env bash
# Installs the Debian packages the test suite drives (run as root; skips what is present):
# Chromium for the report's browser tests, Ceph (mon, osd, radosgw) for the S3 store tests, and
# redis-server (with openssl for its throw-away TLS certificate) for the queue tests.
set -euo pipefail
ceph=()  # the Debian packages to install (Ceph, redis-server, ...)
command -v ceph-mon >/dev/null || ceph+=(ceph-mon)
command -v ceph-osd >/dev/null || ceph+=(ceph-osd)
command -v radosgw >/dev/null || ceph+=(radosgw)
command -v ceph >/dev/null || ceph+=(ceph-common)
command -v curl >/dev/null || ceph+=(curl)
[ -x /usr/bin/redis-server ] || ceph+=(redis-server)
command -v openssl >/dev/null || ceph+=(openssl)
command -v chromium >/dev/null && [ ${#ceph[@]} -eq 0 ] && exit 0
apt-get update -qq
if ! command -v chromium >/dev/null; then
  echo "installing chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ${#ceph[@]} -gt 0 ]; then
  echo "installing ${ceph[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${ceph[@]}" >/dev/null
fi
