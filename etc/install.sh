#!/usr/bin/env bash
# make install: Fulcrum's binaries, amphora image, default configuration, state directory and systemd units.
#
#   PREFIX=/usr/local DESTDIR= BIN=.build/release etc/install.sh
#
#   BIN      folder with the built fulcrum, fulcrum-api, fulcrum-worker, fulcrum-health-manager,
#            fulcrum-housekeeping (and amphora-agent) — `make install` passes `swift build -c release --show-bin-path`
#   AGENT    the static amphora-agent (default .build-static/release/amphora-agent, built by `make image`); when
#            absent, $BIN/amphora-agent is installed instead
#   IMAGE    the amphora image folder (default build/image, from `make image`)
#   LAB=1    also enable lab mode: the fulcrum-lab.conf drop-ins for the worker and the health manager
#   UNITDIR  default /lib/systemd/system
#
# Never overwrites an existing /etc/fulcrum/fulcrum.yaml or fulcrum.env: the new one goes next to it as .dist.
# With DESTDIR empty and run as root it also creates the fulcrum user, sets ownership and reloads systemd.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
BIN=${BIN:?BIN must name the folder holding the built binaries}
AGENT=${AGENT:-$ROOT/.build-static/release/amphora-agent}
IMAGE=${IMAGE:-$ROOT/build/image}
LAB=${LAB:-0}
UNITDIR=${UNITDIR:-/lib/systemd/system}
BINDIR=$PREFIX/bin
LIBEXECDIR=$PREFIX/libexec/fulcrum
DATADIR=$PREFIX/share/fulcrum
DOCDIR=$PREFIX/share/doc/fulcrum
CONFDIR=/etc/fulcrum
STATEDIR=/var/lib/fulcrum
SYSUSERSDIR=/usr/lib/sysusers.d
TMPFILESDIR=/usr/lib/tmpfiles.d
DAEMONS="fulcrum fulcrum-api fulcrum-worker fulcrum-health-manager fulcrum-housekeeping"
UNITS="fulcrum-api.service fulcrum-worker@.service fulcrum-health-manager.service fulcrum-housekeeping.service
fulcrum-lab.service"
LAB_UNITS="fulcrum-worker@.service fulcrum-health-manager.service fulcrum-housekeeping.service"

say() { echo "install: $*"; }
die() { echo "install: error: $*" >&2; exit 1; }
# to PATH: the installed location under DESTDIR
to() { echo "$DESTDIR$1"; }

# 1. binaries
for name in $DAEMONS; do
    [ -x "$BIN/$name" ] || die "$BIN/$name is missing: build first (swift build -c release)"
    install -D -m 0755 "$BIN/$name" "$(to "$BINDIR")/$name"
done
if [ -x "$AGENT" ]; then
    install -D -m 0755 "$AGENT" "$(to "$BINDIR")/amphora-agent"
    say "amphora-agent: the static build $AGENT"
elif [ -x "$BIN/amphora-agent" ]; then
    install -D -m 0755 "$BIN/amphora-agent" "$(to "$BINDIR")/amphora-agent"
    say "amphora-agent: $BIN/amphora-agent (dynamically linked; \`make image\` builds the static one)"
else
    die "no amphora-agent in $AGENT or $BIN"
fi
say "binaries in $(to "$BINDIR")"
install -D -m 0755 "$ROOT/etc/lab" "$(to "$LIBEXECDIR")/lab"

# 2. amphora image
if [ -f "$IMAGE/vmlinuz" ] && [ -f "$IMAGE/initrd.img" ] && [ -f "$IMAGE/manifest.json" ]; then
    for file in vmlinuz initrd.img manifest.json; do
        install -D -m 0644 "$IMAGE/$file" "$(to "$DATADIR/image")/$file"
    done
    say "amphora image in $(to "$DATADIR/image")"
else
    say "note: no amphora image in $IMAGE (vmlinuz, initrd.img, manifest.json): run \`make image\`, then" \
        "\`make install\` again; until then the worker cannot boot amphorae"
fi

# 3. configuration: never overwrite what the operator has
# install_config SOURCE NAME MODE: installs to $CONFDIR/NAME, or NAME.dist when NAME exists.
install_config() {
    local target
    target=$(to "$CONFDIR")/$2
    if [ -e "$target" ]; then
        install -m "$3" "$1" "$target.dist"
        say "kept the existing $target; the new default is $target.dist (compare and merge by hand)"
    else
        install -m "$3" "$1" "$target"
        say "configuration $target"
    fi
}
install -d -m 0750 "$(to "$CONFDIR")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The installed image lives under $DATADIR/image, not in the source tree.
sed "s#^\(  image_dir:\).*#\1 $DATADIR/image#" "$ROOT/etc/fulcrum.yaml" >"$WORK/fulcrum.yaml"
grep -q "^  image_dir: $DATADIR/image\$" "$WORK/fulcrum.yaml" || die "etc/fulcrum.yaml has no amphora.image_dir line"
install_config "$WORK/fulcrum.yaml" fulcrum.yaml 0640
cat >"$WORK/fulcrum.env" <<ENV
# Environment for Fulcrum's systemd units (EnvironmentFile=); keep it 0600. Secrets belong here, not in the YAML.
# FULCRUM_AUTH_ADMIN_TOKEN=
# FULCRUM_HEALTH_MANAGER_HEARTBEAT_KEY=
ENV
install_config "$WORK/fulcrum.env" fulcrum.env 0600

# 4. state directory (0751: see etc/systemd/fulcrum.tmpfiles)
install -d -m 0751 "$(to "$STATEDIR")"

# 5. systemd units, lab drop-ins, sysusers and tmpfiles entries, README
substitute() {
    sed -e "s#@BINDIR@#$BINDIR#g" -e "s#@LIBEXECDIR@#$LIBEXECDIR#g" -e "s#@DOCDIR@#$DOCDIR#g" "$1"
}
install -d -m 0755 "$(to "$UNITDIR")"
for unit in $UNITS; do
    substitute "$ROOT/etc/systemd/$unit" >"$WORK/$unit"
    install -m 0644 "$WORK/$unit" "$(to "$UNITDIR")/$unit"
done
say "systemd units in $(to "$UNITDIR"): $(echo $UNITS)"
for unit in $LAB_UNITS; do
    install -D -m 0644 "$ROOT/etc/systemd/lab/fulcrum-lab.conf" "$(to "$DATADIR/systemd/lab/$unit.d")/fulcrum-lab.conf"
    if [ "$LAB" = 1 ]; then
        install -D -m 0644 "$ROOT/etc/systemd/lab/fulcrum-lab.conf" "$(to "/etc/systemd/system/$unit.d")/fulcrum-lab.conf"
    fi
done
if [ "$LAB" = 1 ]; then
    say "lab mode: $LAB_UNITS run inside the fulcrum-lab namespace (drop-ins in $(to /etc/systemd/system))"
else
    say "lab mode drop-ins in $(to "$DATADIR/systemd/lab") (\`make install LAB=1\` enables them)"
fi
install -D -m 0644 "$ROOT/etc/systemd/fulcrum.sysusers" "$(to "$SYSUSERSDIR")/fulcrum.conf"
install -D -m 0644 "$ROOT/etc/systemd/fulcrum.tmpfiles" "$(to "$TMPFILESDIR")/fulcrum.conf"
install -D -m 0644 "$ROOT/README.md" "$(to "$DOCDIR")/README.md"

# 6. on the live system: the user, ownership, systemd
if [ -z "$DESTDIR" ] && [ "$(id -u)" = 0 ]; then
    if ! getent passwd fulcrum >/dev/null; then
        if command -v systemd-sysusers >/dev/null; then
            systemd-sysusers "$SYSUSERSDIR/fulcrum.conf"
        else
            useradd --system --user-group --home-dir "$STATEDIR" --shell /usr/sbin/nologin fulcrum
        fi
        say "created the system user fulcrum"
    fi
    chown fulcrum:fulcrum "$STATEDIR"
    chgrp fulcrum "$CONFDIR" "$CONFDIR/fulcrum.yaml"
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
fi
say "done. Next: put the secrets in $CONFDIR/fulcrum.env, check with \`$BINDIR/fulcrum doctor\`, then"
say "  systemctl enable --now fulcrum-api fulcrum-worker@1 fulcrum-health-manager fulcrum-housekeeping"
