#!/usr/bin/env bash
# Stops the cluster that start-ceph.sh started in $CEPH_DIR and deletes its data.
set -uo pipefail
dir=${CEPH_DIR:?set CEPH_DIR to the folder given to start-ceph.sh}
pids=()
for name in client.rgw.a osd.0 mon.a; do
  pid=$(cat "$dir/run/$name.pid" 2>/dev/null) || continue
  case "$(cat "/proc/$pid/comm" 2>/dev/null)" in radosgw | ceph-osd | ceph-mon) pids+=("$pid") ;; esac
done
if [ ${#pids[@]} -gt 0 ]; then
  kill "${pids[@]}" 2>/dev/null
  # A graceful radosgw stop can take over 10 s; the memstore OSD has nothing to flush.
  for _ in $(seq 20); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.1; done
  kill -9 "${pids[@]}" 2>/dev/null
  for pid in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
fi
rm -rf "$dir"
echo stopped
