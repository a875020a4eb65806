#!/bin/bash
# Run the whole test suite and the workshop's demo on a pure cgroup v2
# kernel, on a machine whose own cgroups are v1 or hybrid. The provided VM
# (Ubuntu 24.04) is pure v2, like every current distribution: this is how
# CI runs the code paths a learner there runs.
#
#   scripts/cgroup2-vm.sh                     every package's tests, then workshop demo
#   scripts/cgroup2-vm.sh ./chapters/03-cgroups -run OOM
#                                             arguments for go test (no demo)
#
# How: Debian's kernel boots under QEMU's software emulation (TCG: no KVM
# needed) with a small initramfs. Its /init mounts this machine's root
# directory, read-only over 9p, under an overlay whose upper layer is the
# VM's memory, and switches to it: the VM runs this machine's Go, busybox,
# skopeo and umoci, and this repository, and nothing it writes reaches the
# disk. There, with cgroup2 alone on /sys/fs/cgroup, it runs
# `go test -json -p 1 -count=1 ./...` as root with MINIBOX_TEST_REQUIRE_ROOT=1,
# then `make build` and `bin/workshop demo`, and writes the results to a
# second, writable 9p share that this script reads. It exits 0 only if
# every test passed, none skipped, every step of the demo passed, and no
# cgroup was left behind.
#
# It runs as root, and installs qemu-system-x86 and cpio with apt-get when
# they are missing.
# The kernel is not installed: its package is downloaded (apt-get download)
# into a temporary directory and unpacked there, unless CGROUP2_VM_KERNEL
# names a vmlinuz whose modules are in CGROUP2_VM_MODULES. Everything it
# makes goes in that directory, which it removes.
#
# amd64 only for now: on arm64 (Apple Silicon) it says so and exits 2.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/gotest-json.sh
. scripts/gotest-json.sh

BOOT_TIMEOUT=${CGROUP2_VM_TIMEOUT:-1500} # seconds; TCG is slow, a stuck test is slower
STALL=${CGROUP2_VM_STALL:-720}           # seconds without a byte of results: the guest is stuck
MEMORY=${CGROUP2_VM_MEMORY:-4096}        # MiB: the overlay's upper layer and /tmp live in it
# The modules the VM needs: virtio's PCI transport, 9p over it, overlayfs,
# and chapter 7's veth pairs, bridges and nftables NAT (Debian builds them
# all as modules). What each one needs first is read from the module
# itself (load_order), since it changes between kernel builds: virtio
# needs virtio_ring from 6.1.192 on. A soft dependency is not followed:
# libcrc32c (which nf_tables needs) wants a crc32c first, crc32c_generic.
MODULES="virtio_pci 9pnet_virtio 9p overlay veth bridge crc32c_generic nf_tables nft_chain_nat nft_masq nft_ct"

say() { printf 'cgroup2-vm: %s\n' "$*" >&2; }
fail() {
	say "FAIL: $*"
	exit 1
}

# The VM reads this machine's files as the user who runs QEMU: as root, it
# sees what root's go test sees (root's build cache, every package).
check_root() {
	if [ "$(id -u)" -ne 0 ]; then
		say "this needs root: sudo $0${*:+ $*} (or make test-cgroup2)"
		exit 2
	fi
}

check_arch() {
	local arch
	arch=$(uname -m)
	if [ "$arch" != x86_64 ]; then
		say "this script is amd64-only for now (this machine is $arch): it boots Debian's"
		say "amd64 kernel in qemu-system-x86_64. On Apple Silicon the workshop VM is itself"
		say "pure cgroup v2: run make test there."
		exit 2
	fi
}

# install_missing: qemu to boot, cpio to pack the initramfs.
install_missing() {
	local need=() pkg
	for pkg in qemu-system-x86 cpio busybox-static; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
	done
	[ "${#need[@]}" -eq 0 ] && return
	say "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"; then
		apt-get -o DPkg::Lock::Timeout=600 update -qq
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"
	fi
}

# fetch_kernel DIR: unpacks Debian's current kernel package in DIR/kernel
# (not installing it), or takes CGROUP2_VM_KERNEL and CGROUP2_VM_MODULES;
# sets kernel (a vmlinuz) and modules (its lib/modules/VERSION).
fetch_kernel() {
	local dir=$1 pkg
	if [ -n "${CGROUP2_VM_KERNEL:-}" ]; then
		[ -r "$CGROUP2_VM_KERNEL" ] || fail "CGROUP2_VM_KERNEL=$CGROUP2_VM_KERNEL: no such file"
		[ -d "${CGROUP2_VM_MODULES:-}" ] || fail "CGROUP2_VM_MODULES must name the kernel's lib/modules/VERSION directory"
		kernel=$CGROUP2_VM_KERNEL modules=$CGROUP2_VM_MODULES
		return
	fi
	# linux-image-amd64 depends on the current kernel, linux-image-6.1.0-N-amd64.
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || fail "apt-cache depends linux-image-amd64 names no kernel package (try: apt-get update)"
	say "downloading $pkg (not installing it)"
	if ! (cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null); then
		apt-get -o DPkg::Lock::Timeout=600 update -qq
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
		(cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null) || fail "apt-get download $pkg failed"
	fi
	dpkg-deb -x "$dir"/"$pkg"_*.deb "$dir/kernel"
	kernel=$(find "$dir/kernel/boot" -name 'vmlinuz-*' | head -n 1)
	modules=$(find "$dir/kernel/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	if [ -z "$kernel" ] || [ -z "$modules" ]; then
		fail "$pkg holds no /boot/vmlinuz-* or /lib/modules/*"
	fi
}

# write_init FILE: the initramfs's /init. It loads the modules, mounts this
# machine's root (the 9p share "host") under an overlay on the VM's memory,
# and switches to it, where /.cgroup2-vm/guest goes on.
write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
halt() { echo "CGROUP2-VM: FAIL ($*)"; poweroff -f; }
for m in $(cat /modules/order); do insmod "/modules/$m.ko" || halt "insmod $m"; done
mkdir -p /host /rw /newroot
mount -t 9p -o ro,trans=virtio,version=9p2000.L,cache=loose,msize=262144 host /host || halt "mount the host's root"
mount -t tmpfs -o mode=755 rw /rw
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || halt "mount the overlay"
mkdir -p /newroot/.cgroup2-vm
cp /bin/busybox /guest /newroot/.cgroup2-vm/
umount /proc /sys /dev
exec switch_root /newroot /.cgroup2-vm/guest
EOF
	chmod +x "$1"
}

# write_guest FILE REPO ARGS...: the second stage, run as PID 1 in the
# switched root. ARGS, if any, go to go test instead of ./... and no demo
# runs. The proof that each exercise fails on its stub builds the tree
# once per exercise, which takes too long under TCG; it is about the code,
# not the kernel, and make test runs it on the host (the exercises' own
# tests run here, on the reference, with the rest).
write_guest() {
	local file=$1 repo=$2 args=" -skip '^TestExercisesAreHonest\$' ./..." demo=1
	shift 2
	if [ $# -gt 0 ]; then
		args=$(printf " '%s'" "$@") demo=0
	fi
	cat >"$file" <<EOF
#!/.cgroup2-vm/busybox sh
bb=/.cgroup2-vm/busybox
export PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/.cgroup2-vm/tmp GOPROXY=off GOTOOLCHAIN=local GOFLAGS=-mod=readonly
halt() { echo "CGROUP2-VM: FAIL (\$*)"; \$bb poweroff -f; }
\$bb mount -t proc proc /proc
\$bb mount -t sysfs sysfs /sys
\$bb mount -t devtmpfs devtmpfs /dev
\$bb mkdir -p /dev/pts /dev/shm
\$bb mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
\$bb mount -t tmpfs tmpfs /dev/shm
for fd in 0 1 2; do \$bb ln -sf /proc/self/fd/\$fd /dev/\$(echo stdin stdout stderr | \$bb cut -d' ' -f\$((fd + 1))); done
\$bb ln -sf /proc/self/fd /dev/fd
# An overlay cannot have its upper layer on this root (itself an overlay):
# what the tests and steps mount overlays in is a tmpfs. (The repository may
# be under /tmp: TMPDIR, not /tmp, is a new tmpfs.)
for d in /.cgroup2-vm/tmp /var/lib/minibox /run; do
	\$bb mkdir -p \$d
	\$bb mount -t tmpfs -o mode=755 tmpfs \$d
done
\$bb chmod 1777 /.cgroup2-vm/tmp
\$bb mount -t cgroup2 cgroup2 /sys/fs/cgroup || halt "mount cgroup2"
# There is no systemd to enable the controllers for child groups: do it.
for c in cpu memory pids; do echo +\$c >/sys/fs/cgroup/cgroup.subtree_control; done
\$bb mkdir -p /.cgroup2-vm/out
\$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /.cgroup2-vm/out || halt "mount the results share"
out=/.cgroup2-vm/out
\$bb hostname cgroup2-vm
# No init brings lo up here, as every machine's does: the tests that use
# 127.0.0.1 need it.
\$bb ip link set lo up || halt "bring lo up"
echo "cgroup2-vm: kernel \$(\$bb uname -r), \$(\$bb nproc) CPUs, \$(\$bb awk '\$2 == "/sys/fs/cgroup" { print \$3 }' /proc/mounts) on /sys/fs/cgroup"
echo "cgroup2-vm: controllers: \$(cat /sys/fs/cgroup/cgroup.controllers); for child groups: \$(cat /sys/fs/cgroup/cgroup.subtree_control)"
cd '$repo' || halt "cd $repo"
echo "cgroup2-vm: go test -json -p 1 -count=1$args"
MINIBOX_TEST_REQUIRE_ROOT=1 go test -json -p 1 -count=1$args >\$out/go-test.json 2>\$out/go-test.stderr
echo \$? >\$out/go-test.rc
if [ $demo = 1 ]; then
	echo "cgroup2-vm: make build; bin/workshop demo"
	{ make build && bin/workshop demo; } >\$out/demo.log 2>&1
	echo \$? >\$out/demo.rc
fi
\$bb find /sys/fs/cgroup -mindepth 1 -type d >\$out/cgroups-left
echo "CGROUP2-VM: DONE"
\$bb sync
\$bb poweroff -f
EOF
	chmod +x "$file"
}

# load_order MODULE: copies MODULE.ko into the initramfs after the modules
# it depends on (the depends= field of its .modinfo, which depmod reads),
# each once, and appends each name to modules/order. Uses build_initramfs's
# root and seen.
load_order() {
	local m=$1 f dep
	[ -z "${seen[$m]:-}" ] || return 0
	seen[$m]=1
	f=$(find "$modules" -name "$m.ko" | head -n 1)
	[ -n "$f" ] || fail "the kernel has no module $m.ko under $modules"
	for dep in $(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p' | tr ',' ' '); do
		load_order "$dep"
	done
	cp "$f" "$root/modules/"
	echo "$m" >>"$root/modules/order"
}

# build_initramfs DIR REPO ARGS...: DIR/initrd.gz, with busybox, the
# modules and both stages.
build_initramfs() {
	local dir=$1 repo=$2 root=$1/root m f
	shift 2
	mkdir -p "$root"/{bin,proc,sys,dev,modules}
	cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox"
	local -A seen=()
	for m in $MODULES; do load_order "$m"; done
	write_init "$root/init"
	write_guest "$root/guest" "$repo" "$@"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initrd.gz"
}

# report OUT DEMO: reads the results share, says what ran, and fails
# unless every test and step passed.
report() {
	local out=$1 demo=$2 passed failed skipped ok=1
	if [ ! -s "$out/go-test.json" ]; then
		cat "$out/go-test.stderr" >&2 2>/dev/null || true
		fail "the VM wrote no test results (its console and go test's errors are above)"
	fi
	passed=$(gotest_events pass "$out/go-test.json" | grep -vc ' (package)$' || true)
	failed=$(gotest_events fail "$out/go-test.json")
	# A package without tests "skips" as a whole: that is no skipped test.
	skipped=$(gotest_events skip "$out/go-test.json" | grep -v ' (package)$' || true)
	say "go test: $passed tests passed on pure cgroup v2; by package, with the top-level tests:"
	gotest_events pass "$out/go-test.json" | awk '
		$2 == "(package)" { next }
		{ n[$1]++ }
		$2 !~ /\// { top[$1] = top[$1] " " $2 }
		END { for (p in n) printf "  %s: %d passed:%s\n", p, n[p], top[p] }' | sort | fold -s -w 160 >&2
	if [ -n "$failed" ] || [ "$(cat "$out/go-test.rc")" != 0 ]; then
		ok=0
		say "go test exited $(cat "$out/go-test.rc"); what failed, and the failed tests' output:"
		awk '{ print "  " $0 }' <<<"$failed" >&2
		local tests
		mapfile -t tests < <(awk '$2 != "(package)" { print $2 }' <<<"$failed")
		gotest_output "$out/go-test.json" "${tests[@]}" >&2
		cat "$out/go-test.stderr" >&2
	fi
	if [ -n "$skipped" ]; then
		ok=0
		say "tests skipped on cgroup v2, where none may:"
		awk '{ print "  " $0 }' <<<"$skipped" >&2
	fi
	if [ "$demo" = 1 ]; then
		if [ "$(cat "$out/demo.rc" 2>/dev/null)" = 0 ]; then
			say "workshop demo: $(tail -n 1 "$out/demo.log")"
		else
			ok=0
			cat "$out/demo.log" >&2
			say "workshop demo failed on cgroup v2 (its output is above)"
		fi
	fi
	if [ -s "$out/cgroups-left" ]; then
		ok=0
		say "cgroups left behind: $(tr '\n' ' ' <"$out/cgroups-left")"
	fi
	[ "$ok" = 1 ] || fail "on a pure cgroup v2 kernel (see above)"
	say "PASS on a pure cgroup v2 kernel: every test and step passed, none skipped, no cgroup left"
}

main() {
	check_arch
	check_root "$@"
	install_missing
	command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
	local tmp repo demo=1 kernel modules
	[ $# -eq 0 ] || demo=0
	repo=$(pwd -P)
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now: it is local
	trap "rm -rf '$tmp'" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	fetch_kernel "$tmp"
	build_initramfs "$tmp" "$repo" "$@"
	mkdir "$tmp/out"
	# The guest's go test finds its build cache and modules where this
	# machine keeps them; warming them here saves compiling under TCG.
	say "building the tests here first, so that the VM finds them in the build cache"
	go test -count=1 -exec /bin/true "${@:-./...}" >/dev/null
	if ! boot "$tmp" "$kernel"; then
		# A guest whose results stopped growing for longer than go test's
		# own 10-minute timeout is not running a stuck test (that one
		# would have printed its timeout): its emulated kernel is stuck.
		say "the VM wrote nothing for $STALL s: its kernel stalled under TCG, not a test (go test times out after 10 minutes and says so); booting it again, once"
		rm -rf "$tmp/out" && mkdir "$tmp/out"
		boot "$tmp" "$kernel" || say "the VM stalled a second time"
	fi
	report "$tmp/out" "$demo"
}

# boot TMP KERNEL: runs the VM, and watches that its results grow. It
# fails only when they stop growing for STALL seconds, killing the qemu
# it started, by PID.
boot() {
	local tmp=$1 kernel=$2 qemu last=-1 size still=0
	say "booting $(basename "$kernel") under qemu-system-x86_64 -accel ${CGROUP2_VM_ACCEL:-tcg}"
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel "${CGROUP2_VM_ACCEL:-tcg}" -cpu max -smp 2 -m "$MEMORY" \
		-nodefaults -nographic -serial stdio -no-reboot \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$tmp/out,mount_tag=out,security_model=none" \
		-kernel "$kernel" -initrd "$tmp/initrd.gz" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1" </dev/null \
		> >(sed -u 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g') &
	qemu=$!
	while kill -0 "$qemu" 2>/dev/null; do
		sleep 10
		size=$(find "$tmp/out" -type f -printf '%s\n' | awk '{ n += $1 } END { print n + 0 }')
		if [ "$size" -ne "$last" ]; then
			last=$size still=0
			continue
		fi
		still=$((still + 10))
		# Only once the guest has begun writing: booting makes no files.
		if [ "$size" -gt 0 ] && [ "$still" -ge "$STALL" ]; then
			kill "$qemu" 2>/dev/null
			wait "$qemu" 2>/dev/null
			return 1
		fi
	done
	wait "$qemu" || say "qemu exited with an error (or ran out of $BOOT_TIMEOUT s)"
	return 0
}

main "$@"
