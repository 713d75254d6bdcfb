#!/usr/bin/env bash
# Starts a throw-away single-node Ceph cluster (monitor, in-memory OSD, RADOS Gateway) serving
# S3 on 127.0.0.1, for tests and benchmarks. Adapted from ../shared/s3. Needs root and the
# packages that scripts/install-test-deps.sh installs. Cephx is off: never expose it.
#
#   CEPH_DIR=/tmp/x RGW_PORT=7480 scripts/s3/start-ceph.sh
#   -> endpoint=http://127.0.0.1:7480 access_key=... secret_key=... region=us-east-1
#   CEPH_DIR=/tmp/x scripts/s3/stop-ceph.sh
set -euo pipefail
dir=${CEPH_DIR:?set CEPH_DIR to a folder that does not exist yet (the same for stop-ceph.sh)}
rgw_port=${RGW_PORT:-7480}
mon="[v2:127.0.0.1:${MON_V2_PORT:-3300},v1:127.0.0.1:${MON_PORT:-6789}]"
access_key=${S3_ACCESS_KEY:-testaccesskey}
secret_key=${S3_SECRET_KEY:-testsecretkey}
started=$(date +%s)

for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph curl; do
  command -v "$tool" >/dev/null || { echo "start-ceph: $tool is not installed; run scripts/install-test-deps.sh (as root)" >&2; exit 1; }
done
[ -e "$dir" ] && { echo "start-ceph: $dir exists; stop that cluster first (scripts/s3/stop-ceph.sh)" >&2; exit 1; }
mkdir -p "$dir"/{run,log,mon.a,osd.0,rgw.a}
fsid=$(cat /proc/sys/kernel/random/uuid)
export CEPH_CONF=$dir/ceph.conf
cat >"$CEPH_CONF" <<CONF
[global]
fsid=$fsid
mon_host=$mon
public_addr=127.0.0.1
cluster_addr=127.0.0.1
auth_cluster_required=none
auth_service_required=none
auth_client_required=none
# Required with cephx off, or radosgw loops on get_initial_auth_request returned -13.
ms_mon_client_mode=crc
run_dir=$dir/run
admin_socket=$dir/run/\$name.asok
pid_file=$dir/run/\$name.pid
log_file=$dir/log/\$name.log
mon_cluster_log_file=default=$dir/log/ceph.\$channel.log cluster=$dir/log/ceph.log
keyring=$dir/keyring
osd_pool_default_size=1
osd_pool_default_min_size=1
osd_pool_default_pg_num=8
osd_pool_default_pgp_num=8
osd_pool_default_pg_autoscale_mode=off
osd_crush_chooseleaf_type=0
mon_allow_pool_size_one=true
mon_warn_on_pool_no_redundancy=false
mon_max_pg_per_osd=1000
mon_data_avail_crit=1
[mon]
mon_data=$dir/mon.\$id
paxos_propose_interval=0.05
paxos_min_wait=0.01
[osd]
osd_data=$dir/osd.\$id
osd_objectstore=memstore
memstore_device_bytes=${MEMSTORE_BYTES:-1073741824}
[client.rgw.a]
rgw_frontends=beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw_data=$dir/rgw.a
CONF

ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --fsid "$fsid" --addv a "$mon" "$dir/monmap" >/dev/null
ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
ceph-mon -i a
for _ in $(seq 60); do timeout 5 ceph -s >/dev/null 2>&1 && break; sleep 0.5; done
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(timeout 20 ceph osd new "$osd_uuid")
ceph-osd -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >/dev/null 2>&1
ceph-osd -i "$osd_id" 2>/dev/null
for _ in $(seq 120); do ceph osd stat | grep -q "1 up" && break; sleep 0.5; done
for pool in .rgw.root default.rgw.{log,control,meta,buckets.index,buckets.data,buckets.non-ec}; do
  printf 'osd pool create %s 8 8\nosd pool application enable %s rgw\n' "$pool" "$pool"
done | timeout 60 ceph >/dev/null 2>&1
radosgw -n client.rgw.a # daemonizes; its pid goes to $dir/run
for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$rgw_port/" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$rgw_port/" || { echo "start-ceph: radosgw did not come up; see $dir/log" >&2; exit 1; }
radosgw-admin user create --uid=test --display-name=test --access-key="$access_key" --secret-key="$secret_key" >/dev/null
echo "endpoint=http://127.0.0.1:$rgw_port access_key=$access_key secret_key=$secret_key region=us-east-1 ready_in=$(( $(date +%s) - started ))s"
