#!/bin/bash
# Run the cgroups chapter's tests on a pure cgroup v2 kernel, on a machine
# whose own cgroups are v1 or hybrid: boot Debian's kernel under QEMU's
# software emulation (TCG: no KVM needed) with a small initramfs that holds
# busybox and the chapter's test binary, and read the result off the serial
# console.
#
#   scripts/cgroup2-vm.sh                 the whole chapter, as root in the VM
#   scripts/cgroup2-vm.sh -test.run OOM   arguments go to the test binary
#
# It installs qemu-system-x86, cpio and busybox-static with apt-get when
# they are missing. The kernel is not installed: its package is downloaded
# (apt-get download) into a temporary directory and unpacked there, unless
# CGROUP2_VM_KERNEL names a vmlinuz to boot. Everything it makes goes in
# that directory, which it removes. It exits 0 only if the VM printed
# "CGROUP2-VM: PASS": the tests passed, none skipped (the VM runs them as
# root with MINIBOX_TEST_REQUIRE_ROOT=1), and no cgroup was left behind.
#
# amd64 only for now: on arm64 (Apple Silicon) it says so and exits 2.
set -euo pipefail
cd "$(dirname "$0")/.."

PASS_LINE="CGROUP2-VM: PASS"
BOOT_TIMEOUT=${CGROUP2_VM_TIMEOUT:-900} # seconds; TCG is slow, a stuck test is slower

say() { printf 'cgroup2-vm: %s\n' "$*" >&2; }
fail() {
	say "FAIL: $*"
	exit 1
}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

check_arch() {
	local arch
	arch=$(uname -m)
	if [ "$arch" != x86_64 ]; then
		say "this script is amd64-only for now (this machine is $arch): it boots Debian's"
		say "amd64 kernel in qemu-system-x86_64. On Apple Silicon, run the chapter's tests in"
		say "the workshop VM instead, which is pure cgroup v2: make test-chapter CH=3"
		exit 2
	fi
}

# install_missing: qemu to boot, cpio to pack the initramfs, a static
# busybox to be its userland.
install_missing() {
	local need=() pkg
	for pkg in qemu-system-x86 cpio busybox-static; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
	done
	[ "${#need[@]}" -eq 0 ] && return
	say "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"; then
		$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
		$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"
	fi
}

# fetch_kernel DIR: prints the path of a vmlinuz, from CGROUP2_VM_KERNEL or
# from Debian's current kernel package, unpacked (not installed) in DIR.
fetch_kernel() {
	local dir=$1 pkg
	if [ -n "${CGROUP2_VM_KERNEL:-}" ]; then
		[ -r "$CGROUP2_VM_KERNEL" ] || fail "CGROUP2_VM_KERNEL=$CGROUP2_VM_KERNEL: no such file"
		echo "$CGROUP2_VM_KERNEL"
		return
	fi
	# linux-image-amd64 depends on the current kernel, linux-image-6.1.0-N-amd64.
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || fail "apt-cache depends linux-image-amd64 names no kernel package (try: apt-get update)"
	say "downloading $pkg (not installing it)"
	if ! (cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null); then
		$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
		(cd "$dir" && apt-get download -qq "$pkg" 2>/dev/null) || fail "apt-get download $pkg failed"
	fi
	dpkg-deb -x "$dir"/"$pkg"_*.deb "$dir/kernel"
	local vmlinuz
	vmlinuz=$(find "$dir/kernel/boot" -name 'vmlinuz-*' | head -n 1)
	[ -n "$vmlinuz" ] || fail "$pkg holds no /boot/vmlinuz-*"
	echo "$vmlinuz"
}

# write_init FILE ARGS...: the VM's /init. It mounts what the tests need,
# enables the controllers for child groups (systemd would; there is none),
# runs the tests and powers off. ARGS go to the test binary, each in single
# quotes.
write_init() {
	local file=$1 args=""
	shift
	[ $# -eq 0 ] || args=$(printf " '%s'" "$@")
	cat >"$file" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
for c in cpu memory pids; do echo +\$c >/sys/fs/cgroup/cgroup.subtree_control; done
echo "cgroup2-vm: kernel \$(uname -r), \$(nproc) CPUs; cgroup2 controllers: \$(cat /sys/fs/cgroup/cgroup.controllers)"
echo "cgroup2-vm: enabled for child groups: \$(cat /sys/fs/cgroup/cgroup.subtree_control)"
cd /chapter
MINIBOX_TEST_REQUIRE_ROOT=1 ./cgroups.test -test.v -test.count=1$args
rc=\$?
left=\$(find /sys/fs/cgroup -mindepth 1 -type d)
if [ -n "\$left" ]; then
	echo "cgroup2-vm: cgroups left behind: \$left"
	rc=1
fi
if [ \$rc -eq 0 ]; then echo "CGROUP2-VM: PASS"; else echo "CGROUP2-VM: FAIL (exit \$rc)"; fi
poweroff -f
EOF
	chmod +x "$file"
}

# build_initramfs DIR ARGS...: prints the path of initrd.gz.
build_initramfs() {
	local dir=$1 root=$1/root busybox
	shift
	mkdir -p "$root"/{bin,proc,sys,dev,tmp,root,chapter}
	busybox=$(command -v busybox || echo /bin/busybox)
	cp "$busybox" "$root/bin/busybox"
	say "building the test binary (CGO_ENABLED=0 go test -c ./chapters/03-cgroups)"
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go test -c -o "$root/chapter/cgroups.test" ./chapters/03-cgroups
	# The tests read their fixtures from testdata/, next to them.
	cp -r chapters/03-cgroups/testdata "$root/chapter/"
	write_init "$root/init" "$@"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initrd.gz"
	echo "$dir/initrd.gz"
}

main() {
	check_arch
	install_missing
	command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
	local tmp kernel initrd log
	tmp=$(mktemp -d)
	# shellcheck disable=SC2064 # expand $tmp now: it is local
	trap "rm -rf '$tmp'" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	kernel=$(fetch_kernel "$tmp")
	initrd=$(build_initramfs "$tmp" "$@")
	log=$tmp/console.log
	say "booting $(basename "$kernel") under qemu-system-x86_64 -accel tcg"
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 512 \
		-nodefaults -nographic -serial stdio -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1" </dev/null |
		sed -u 's/\r$//; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' | tee "$log" ||
		say "qemu exited with an error (or ran out of $BOOT_TIMEOUT s)"
	echo
	if ! grep -qx "$PASS_LINE" "$log" || grep -q '^--- SKIP' "$log"; then
		fail "the VM did not print \"$PASS_LINE\", or skipped a test; its console is above"
	fi
	say "PASS: $(grep -c '^--- PASS' "$log") tests passed on a pure cgroup v2 kernel, none failed or skipped"
}

main "$@"
