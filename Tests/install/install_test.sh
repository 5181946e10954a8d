#!/usr/bin/env bash
# make test-install: runs etc/install.sh into temporary DESTDIRs with fake binaries and a fake image, checks what it
# installed (paths, modes, substitutions, never overwriting a configuration), then runs `systemd-analyze verify` on
# the installed units and lab drop-ins inside the temporary root. Touches nothing outside its temp directory.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
INSTALL=$ROOT/etc/install.sh
WORK=$(mktemp -d /tmp/fulcrum-install-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

check() { # DESCRIPTION COMMAND...
    local description=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $description"
    fi
}
mode() { stat -c %a "$1"; }

command -v systemd-analyze >/dev/null || { echo "install_test: systemd-analyze missing (apt-get install systemd)"; exit 1; }

# Fake build products: every binary is a script that exits 0; the "static agent" is one too.
mkdir -p "$WORK/bin" "$WORK/image" "$WORK/static"
for name in fulcrum fulcrum-api fulcrum-worker fulcrum-health-manager fulcrum-housekeeping amphora-agent; do
    printf '#!/bin/sh\necho %s\n' "$name" >"$WORK/bin/$name"
    chmod 0755 "$WORK/bin/$name"
done
printf '#!/bin/sh\necho static-agent\n' >"$WORK/static/amphora-agent"
chmod 0755 "$WORK/static/amphora-agent"
echo kernel >"$WORK/image/vmlinuz"
echo initrd >"$WORK/image/initrd.img"
echo '{"image_version": "test"}' >"$WORK/image/manifest.json"

run_install() { # DESTDIR [VAR=VALUE…]: output in $WORK/out
    local destdir=$1
    shift
    env DESTDIR="$destdir" PREFIX=/usr/local BIN="$WORK/bin" AGENT="$WORK/static/amphora-agent" IMAGE="$WORK/image" \
        "$@" "$INSTALL" >"$WORK/out" 2>&1
}

# 1. A fresh install.
D=$WORK/root
check "fresh install exits 0" run_install "$D"
for name in fulcrum fulcrum-api fulcrum-worker fulcrum-health-manager fulcrum-housekeeping amphora-agent; do
    check "$name installed 0755" test "$(mode "$D/usr/local/bin/$name")" = 755
done
check "the static agent is preferred" grep -q static-agent "$D/usr/local/bin/amphora-agent"
check "lab script in libexec" test -x "$D/usr/local/libexec/fulcrum/lab"
for file in vmlinuz initrd.img manifest.json; do
    check "image $file installed" cmp -s "$WORK/image/$file" "$D/usr/local/share/fulcrum/image/$file"
done
check "config installed 0640" test "$(mode "$D/etc/fulcrum/fulcrum.yaml")" = 640
check "config dir 0750" test "$(mode "$D/etc/fulcrum")" = 750
check "env file installed 0600" test "$(mode "$D/etc/fulcrum/fulcrum.env")" = 600
check "config points at the installed image" grep -q '^  image_dir: /usr/local/share/fulcrum/image$' \
    "$D/etc/fulcrum/fulcrum.yaml"
check "state dir 0751" test "$(mode "$D/var/lib/fulcrum")" = 751
for unit in fulcrum-api.service fulcrum-worker@.service fulcrum-health-manager.service fulcrum-housekeeping.service \
    fulcrum-lab.service; do
    check "$unit installed" test -f "$D/lib/systemd/system/$unit"
    check "$unit has no placeholder left" bash -c "! grep -q '@[A-Z]*@' '$D/lib/systemd/system/$unit'"
done
check "ExecStart uses the real bindir" grep -q '^ExecStart=/usr/local/bin/fulcrum-api ' \
    "$D/lib/systemd/system/fulcrum-api.service"
check "the API migrates first" grep -q '^ExecStartPre=/usr/local/bin/fulcrum db upgrade ' \
    "$D/lib/systemd/system/fulcrum-api.service"
check "the lab unit runs the installed lab script" grep -q '^ExecStart=/usr/local/libexec/fulcrum/lab up$' \
    "$D/lib/systemd/system/fulcrum-lab.service"
check "lab drop-ins shipped, not enabled" test -f \
    "$D/usr/local/share/fulcrum/systemd/lab/fulcrum-worker@.service.d/fulcrum-lab.conf"
check "no drop-in enabled without LAB=1" test ! -e "$D/etc/systemd/system"
check "sysusers entry" grep -q '^u fulcrum ' "$D/usr/lib/sysusers.d/fulcrum.conf"
check "tmpfiles entry" grep -q '^d /var/lib/fulcrum 0751 fulcrum fulcrum' "$D/usr/lib/tmpfiles.d/fulcrum.conf"

# 2. Again, over an edited configuration: it is kept, the new default goes next to it as .dist.
echo "# edited by the operator" >>"$D/etc/fulcrum/fulcrum.yaml"
cp "$D/etc/fulcrum/fulcrum.yaml" "$WORK/edited.yaml"
check "re-install exits 0" run_install "$D"
check "an existing config is never overwritten" cmp -s "$WORK/edited.yaml" "$D/etc/fulcrum/fulcrum.yaml"
check "the new default is fulcrum.yaml.dist" test -f "$D/etc/fulcrum/fulcrum.yaml.dist"
check "the .dist is announced" grep -q "fulcrum.yaml.dist" "$WORK/out"
check "an existing env file is kept too" test -f "$D/etc/fulcrum/fulcrum.env.dist"

# 3. Without an image: a note, and the rest installs.
mkdir -p "$WORK/empty"
check "install without an image exits 0" run_install "$WORK/noimage" IMAGE="$WORK/empty"
check "the missing image is noted" grep -q "no amphora image" "$WORK/out"
check "no image folder installed" test ! -e "$WORK/noimage/usr/local/share/fulcrum/image"

# 4. A missing binary stops the install.
mkdir -p "$WORK/partial"
cp -a "$WORK/bin/fulcrum" "$WORK/partial/"
if run_install "$WORK/broken" BIN="$WORK/partial"; then status=0; else status=$?; fi
check "a missing binary fails the install" test "$status" -ne 0
check "the missing binary is named" grep -q "fulcrum-api is missing" "$WORK/out"

# 5. Lab mode: the drop-ins are enabled.
check "LAB=1 install exits 0" run_install "$WORK/lab" LAB=1
for unit in fulcrum-worker@.service fulcrum-health-manager.service; do
    check "$unit lab drop-in enabled" grep -q '^NetworkNamespacePath=/run/netns/fulcrum-lab$' \
        "$WORK/lab/etc/systemd/system/$unit.d/fulcrum-lab.conf"
done

# 6. systemd-analyze verify inside the temporary roots. The ExecStart binaries resolve under --root; the host's own
# units (targets such as sysinit.target) are copied in so that dependencies resolve too.
verify() { # ROOTDIR
    mkdir -p "$1/usr/lib/systemd/system"
    cp -a /lib/systemd/system/. "$1/usr/lib/systemd/system/"
    if ! systemd-analyze --root="$1" verify "$1"/lib/systemd/system/fulcrum-*.service >"$WORK/verify" 2>&1; then
        cat "$WORK/verify"
        return 1
    fi
    # Unknown keys and bad values are only warnings: any output at all is a failure.
    [ ! -s "$WORK/verify" ] || { cat "$WORK/verify"; return 1; }
}
check "systemd-analyze verify: the units" verify "$D"
check "systemd-analyze verify: the units with the lab drop-ins" verify "$WORK/lab"

echo "install_test: $passed passed, $failed failed"
[ "$failed" = 0 ]
