#!/bin/sh
# Provision a machine for the minibox workshop: build tools, the packages
# of scripts/deps.sh, a pinned Go, Go on the PATH, and checks of cgroup v2,
# overlayfs and the AppArmor user namespace restriction. The one script
# every VM route runs (Vagrantfile, lima/minibox.yaml), and the one CI runs
# on a fresh Debian userland (scripts/ci-vm.sh). Ubuntu 24.04 or Debian 12,
# as root. Running it again changes nothing: each part looks before it acts
# and says what it did, and the last line says "nothing to do" when
# nothing changed.
#
#   scripts/provision.sh                      provision this machine
#   scripts/provision.sh --print-go-url [ARCH]
#       the Go archive for ARCH and its sha256, without downloading it.
#       ARCH is amd64, arm64, or what `uname -m` says (x86_64, aarch64);
#       default: this machine.
#
# Environment:
#   MINIBOX_GO_TARBALL=FILE   install Go from FILE instead of downloading
#                             it. FILE must have the official sha256 (an
#                             archive fetched beforehand), unless
#   MINIBOX_GO_SHA256=SUM     names the sha256 FILE must have instead (a Go
#                             you packed yourself, as CI does). The sum is
#                             always checked; without a tarball, this
#                             variable is ignored and the official sum is used.
#   MINIBOX_ROOT=DIR          where images and containers live (default
#                             /var/lib/minibox): must be on the VM's own disk.
#   MINIBOX_ALLOW_UNPRIVILEGED_USERNS=1 or 0
#                             lift (1) or restore (0) Ubuntu's AppArmor
#                             restriction on unprivileged user namespaces;
#                             unset, it is left as it is (see below).
#   MINIBOX_WORKSHOP_DIR=DIR  the repository inside the VM (default /workshop).
set -eu

# Go: the release archive from go.dev, pinned with its sha256. The version
# is the newest 1.26 patch release we could check; it must stay at or above
# the go line of go.mod (scripts/ci-vm.sh checks that). The sums are
# go.dev/dl's (https://go.dev/dl/?mode=json&include=all lists them).
GO_VERSION=1.26.8
GO_SHA256_AMD64=d0f743b33e8d8945e6b1f432edd15785c70507121d6e2a723b21285eddf8b57b
GO_SHA256_ARM64=211ffced9dcb9633a55eac6364816ec0ddd951389a740e88fa8b3337971bdda0
GOROOT_DIR=/usr/local/go
# Written next to the Go tree it describes: the sha256 of the archive it
# came from, so a second run knows there is nothing to do.
GO_STAMP=$GOROOT_DIR/.minibox-archive-sha256

# make, gcc, libc6-dev and git build the workshop (go build runs git to
# stamp the binaries, and cgo needs the C headers); busybox-static is every
# container's userland; curl and ca-certificates fetch Go; kmod loads overlay.
# The rest comes from scripts/deps.sh (workshop_packages, below).
PACKAGES="make gcc libc6-dev git busybox-static ca-certificates curl kmod"

WORKSHOP_DIR=${MINIBOX_WORKSHOP_DIR:-/workshop}
USERNS_SYSCTL=/proc/sys/kernel/apparmor_restrict_unprivileged_userns
USERNS_CONF=/etc/sysctl.d/60-minibox-userns.conf
APT_LOG=/var/log/minibox-provision-apt.log

changes=0
warnings=0
tmp=""

say() { printf 'provision: %s\n' "$*"; }
changed() {
	changes=$((changes + 1))
	say "$*"
}
warn() {
	warnings=$((warnings + 1))
	printf 'provision: WARNING: %s\n' "$*" >&2
}
die() {
	printf 'provision: error: %s\n' "$*" >&2
	exit 1
}
cleanup() {
	if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# go_arch maps what `uname -m` says (or a Go name) to Go's name for it.
go_arch() {
	case "$1" in
	x86_64 | amd64) echo amd64 ;;
	aarch64 | arm64) echo arm64 ;;
	*)
		echo "provision: error: unsupported architecture '$1': the workshop runs on amd64 (x86_64) or arm64 (aarch64, as on Apple Silicon)" >&2
		return 1
		;;
	esac
}

go_url() { echo "https://go.dev/dl/go$GO_VERSION.linux-$1.tar.gz"; }

go_sha256() {
	case "$1" in
	amd64) echo "$GO_SHA256_AMD64" ;;
	arm64) echo "$GO_SHA256_ARM64" ;;
	esac
}

print_go_url() {
	arch=$(go_arch "${1:-$(uname -m)}") || exit 1
	echo "version=$GO_VERSION"
	echo "arch=$arch"
	echo "url=$(go_url "$arch")"
	echo "sha256=$(go_sha256 "$arch")"
}

# put_file PATH: make PATH hold what stdin holds, and count a change only
# when it did not already.
put_file() {
	new="$1.minibox-new"
	cat >"$new"
	if cmp -s "$new" "$1"; then
		rm -f "$new"
		return 1
	fi
	chmod 0644 "$new"
	mv -f "$new" "$1"
}

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

install_packages() {
	missing=""
	for pkg in $PACKAGES; do
		installed "$pkg" || missing="$missing $pkg"
	done
	if [ -z "$missing" ]; then
		say "packages: all installed ($PACKAGES)"
		return
	fi
	say "packages: installing$missing (apt-get's output: $APT_LOG)"
	# A fresh cloud image's package lists are stale or absent: update first.
	# The lock timeout waits for cloud-init or unattended-upgrades.
	# shellcheck disable=SC2086 # the package list is meant to split
	if ! { apt-get -o DPkg::Lock::Timeout=600 update &&
		apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $missing; } >"$APT_LOG" 2>&1; then
		tail -n 20 "$APT_LOG" >&2
		die "packages: apt-get failed (all of its output: $APT_LOG)"
	fi
	changed "packages: installed$missing"
}

# What the chapters need beyond that (skopeo, umoci, ...) is listed once,
# in the repository's scripts/deps.sh, which `make test` and `make demo`
# run too: running it here installs it all before the workshop day.
workshop_packages() {
	deps=$WORKSHOP_DIR/scripts/deps.sh
	if [ ! -f "$deps" ]; then
		warn "no $deps: is the repository mounted at $WORKSHOP_DIR? \`make deps\` in the repository installs the workshop's packages"
		return
	fi
	before=$(dpkg-query -W -f '${Package} ${Version} ${Status}\n' | cksum)
	if ! sh "$deps" >>"$APT_LOG" 2>&1; then
		tail -n 20 "$APT_LOG" >&2
		die "packages: $deps failed (its output: $APT_LOG)"
	fi
	if [ "$(dpkg-query -W -f '${Package} ${Version} ${Status}\n' | cksum)" = "$before" ]; then
		say "packages: what scripts/deps.sh lists is installed"
	else
		changed "packages: installed what scripts/deps.sh lists"
	fi
}

download() {
	if command -v curl >/dev/null; then
		curl -fsSL --retry 3 -o "$2" "$1"
	else
		wget -q -O "$2" "$1"
	fi
}

install_go() {
	arch=$(go_arch "$(uname -m)") || exit 1
	official=$(go_sha256 "$arch")
	want=$official
	if [ -n "${MINIBOX_GO_TARBALL:-}" ] && [ -n "${MINIBOX_GO_SHA256:-}" ]; then
		want=$MINIBOX_GO_SHA256
	fi
	if [ -x "$GOROOT_DIR/bin/go" ] && [ "$(cat "$GO_STAMP" 2>/dev/null)" = "$want" ]; then
		say "go: $("$GOROOT_DIR/bin/go" version) already installed (archive sha256 $want)"
		return
	fi
	# The pinned release, put there by hand or by an image: keep it.
	if [ -z "${MINIBOX_GO_TARBALL:-}" ] && [ ! -e "$GO_STAMP" ] && [ -x "$GOROOT_DIR/bin/go" ] &&
		[ "$("$GOROOT_DIR/bin/go" version 2>/dev/null)" = "go version go$GO_VERSION linux/$arch" ]; then
		say "go: go$GO_VERSION already in $GOROOT_DIR (not installed by this script; left as it is)"
		return
	fi

	# Unpack next to the old tree, on the same file system, then swap: an
	# interrupted run leaves the old Go (or none), never half a Go.
	mkdir -p "$(dirname "$GOROOT_DIR")"
	tmp=$(mktemp -d "$(dirname "$GOROOT_DIR")/.minibox-go.XXXXXX")
	if [ -n "${MINIBOX_GO_TARBALL:-}" ]; then
		archive=$MINIBOX_GO_TARBALL
		[ -f "$archive" ] || die "MINIBOX_GO_TARBALL=$archive: no such file"
		say "go: installing from $archive"
	else
		archive=$tmp/go.tar.gz
		say "go: downloading $(go_url "$arch")"
		download "$(go_url "$arch")" "$archive" || die "go: cannot download $(go_url "$arch")"
	fi
	got=$(sha256sum "$archive" | cut -d ' ' -f 1)
	if [ "$got" != "$want" ]; then
		if [ "$want" = "$official" ]; then
			die "go: $archive has sha256 $got, but go$GO_VERSION.linux-$arch.tar.gz has $want: not installing it (for an archive you made, give its sum in MINIBOX_GO_SHA256)"
		fi
		die "go: $archive has sha256 $got, not $want (MINIBOX_GO_SHA256): not installing it"
	fi
	mkdir "$tmp/unpack"
	tar -C "$tmp/unpack" -xzf "$archive"
	[ -x "$tmp/unpack/go/bin/go" ] || die "go: $archive has no go/bin/go"
	version=$("$tmp/unpack/go/bin/go" version) || die "go: the go in $archive does not run here"
	if [ "$want" = "$official" ] && [ "$version" != "go version go$GO_VERSION linux/$arch" ]; then
		die "go: $archive says '$version', expected go$GO_VERSION linux/$arch"
	fi
	echo "$want" >"$tmp/unpack/go/$(basename "$GO_STAMP")"
	rm -rf "$GOROOT_DIR"
	mv "$tmp/unpack/go" "$GOROOT_DIR"
	rm -rf "$tmp"
	tmp=""
	changed "go: installed $version (archive sha256 $want)"
}

# Go on the PATH: for every login shell (profile.d), and for sudo and
# non-login shells, whose PATH is fixed (sudo's secure_path has
# /usr/local/bin): `sudo bin/workshop check` runs go.
go_on_path() {
	if put_file /etc/profile.d/go.sh <<EOF; then
# Go for the minibox workshop (written by scripts/provision.sh).
case ":\$PATH:" in
*:$GOROOT_DIR/bin:*) ;;
*) PATH="\$PATH:$GOROOT_DIR/bin"; export PATH ;;
esac
EOF
		changed "path: wrote /etc/profile.d/go.sh"
	fi
	for tool in go gofmt; do
		if [ "$(readlink "/usr/local/bin/$tool" 2>/dev/null)" != "$GOROOT_DIR/bin/$tool" ]; then
			mkdir -p /usr/local/bin
			ln -sfn "$GOROOT_DIR/bin/$tool" "/usr/local/bin/$tool"
			changed "path: linked /usr/local/bin/$tool to $GOROOT_DIR/bin/$tool"
		fi
	done
	say "path: go is on every login's PATH ($GOROOT_DIR/bin, /usr/local/bin/go)"
}

# The repository belongs to the login user (a shared folder); `sudo make
# test` runs git there as root, which refuses a tree it does not own
# ("dubious ownership"), and go build then fails to stamp its binaries.
git_safe_directory() {
	dir=$WORKSHOP_DIR
	if git config --system --get-all safe.directory 2>/dev/null | grep -qxF "$dir"; then
		say "git: $dir already a safe directory for root"
		return
	fi
	git config --system --add safe.directory "$dir"
	changed "git: marked $dir a safe directory (root may build a tree the login user owns)"
}

# Images and containers live on the VM's own disk: overlayfs cannot use a
# shared folder (vboxsf, 9p, virtiofs, fuse, nfs, ...) as its upper layer,
# and a container's files would otherwise land on the host.
minibox_root() {
	dir=${MINIBOX_ROOT:-/var/lib/minibox}
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir"
		chmod 0755 "$dir"
		changed "root: created $dir (MINIBOX_ROOT)"
	fi
	fs=$(stat -f -c %T "$dir")
	case "$fs" in
	vboxsf | v9fs | 9p | virtiofs | fuse* | nfs* | cifs | smb* | prl_fs | vmhgfs* | UNKNOWN*)
		die "MINIBOX_ROOT=$dir is on a $fs file system, a shared folder: overlayfs cannot use it as its upper layer. Use a directory on the VM's own disk (the default /var/lib/minibox is)."
		;;
	esac
	say "root: $dir is on the VM's own disk ($fs)"
}

check_cgroup2() {
	fs=$(stat -f -c %T /sys/fs/cgroup 2>/dev/null || echo "missing")
	if [ "$fs" = cgroup2fs ]; then
		say "cgroups: /sys/fs/cgroup is cgroup2 (v2 only), as chapter 3 expects of the VM"
		return
	fi
	warn "/sys/fs/cgroup is $fs, not cgroup2: this machine uses cgroup v1 or a hybrid of v1 and v2. Chapter 3 handles both, but the VM should be pure v2: Ubuntu 24.04 boots that way unless the kernel command line has systemd.unified_cgroup_hierarchy=0 (remove it from GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub, reboot)."
}

check_overlay() {
	if ! grep -qw overlay /proc/filesystems 2>/dev/null; then
		modprobe overlay 2>/dev/null || true
	fi
	if grep -qw overlay /proc/filesystems 2>/dev/null; then
		say "overlay: the kernel has overlayfs"
		return
	fi
	warn "overlayfs is not available (modprobe overlay failed): chapter 4 needs it. In the VM, install the kernel's extra modules: apt-get install linux-modules-extra-\$(uname -r)"
}

# Ubuntu 23.10 and later stop unprivileged processes from creating user
# namespaces unless an AppArmor profile allows it
# (kernel.apparmor_restrict_unprivileged_userns=1). The workshop does not
# need it lifted: its steps and tests run as root (sudo), and root is not
# restricted, so chapter 2's user namespace step works as it is. Only
# experiments without sudo hit it, and lifting it weakens a hardening
# against kernel exploits that go through user namespaces. So this script
# leaves it as the distribution sets it, unless
# MINIBOX_ALLOW_UNPRIVILEGED_USERNS=1 lifts it (a sysctl.d file, so it
# lasts across reboots) or =0 puts it back. Unset, it changes nothing
# either way: Lima runs this script at every boot, and an opt-in must
# survive that.
apparmor_userns() {
	allow=${MINIBOX_ALLOW_UNPRIVILEGED_USERNS:-} # checked by main
	if [ ! -e "$USERNS_SYSCTL" ]; then
		say "userns: this kernel has no AppArmor restriction on user namespaces"
		return
	fi
	case "$allow" in
	1)
		if printf 'kernel.apparmor_restrict_unprivileged_userns = 0\n' | put_file "$USERNS_CONF"; then
			changed "userns: wrote $USERNS_CONF (MINIBOX_ALLOW_UNPRIVILEGED_USERNS=1)"
		fi
		if [ "$(cat "$USERNS_SYSCTL")" != 0 ]; then
			echo 0 >"$USERNS_SYSCTL"
			changed "userns: set kernel.apparmor_restrict_unprivileged_userns=0"
		fi
		;;
	0)
		if [ -e "$USERNS_CONF" ]; then
			rm -f "$USERNS_CONF"
			changed "userns: removed $USERNS_CONF"
		fi
		if [ "$(cat "$USERNS_SYSCTL")" != 1 ]; then
			echo 1 >"$USERNS_SYSCTL"
			changed "userns: set kernel.apparmor_restrict_unprivileged_userns=1"
		fi
		;;
	esac
	if [ "$(cat "$USERNS_SYSCTL")" = 1 ]; then
		say "userns: unprivileged user namespaces restricted by AppArmor (the distribution's default): the steps run as root, which it does not restrict (MINIBOX_ALLOW_UNPRIVILEGED_USERNS=1 lifts it)"
	else
		say "userns: unprivileged user namespaces allowed (kernel.apparmor_restrict_unprivileged_userns=0; MINIBOX_ALLOW_UNPRIVILEGED_USERNS=0 restores the restriction)"
	fi
}

main() {
	[ "$(id -u)" -eq 0 ] || die "run it as root: sudo $0"
	case "${MINIBOX_ALLOW_UNPRIVILEGED_USERNS:-}" in
	"" | 0 | 1) ;;
	*) die "MINIBOX_ALLOW_UNPRIVILEGED_USERNS=$MINIBOX_ALLOW_UNPRIVILEGED_USERNS: use 1 (lift the restriction) or 0 (restore it)" ;;
	esac
	command -v apt-get >/dev/null || die "this script provisions Debian or Ubuntu (no apt-get here)"
	export DEBIAN_FRONTEND=noninteractive
	go_arch "$(uname -m)" >/dev/null || exit 1
	install_packages
	workshop_packages
	install_go
	go_on_path
	git_safe_directory
	minibox_root
	check_cgroup2
	check_overlay
	apparmor_userns
	note=""
	if [ "$warnings" -gt 0 ]; then note=" (warnings above: $warnings)"; fi
	if [ "$changes" -eq 0 ]; then
		say "nothing to do: everything was already in place$note"
	else
		say "done: $changes changes$note"
	fi
}

case "${1:-}" in
--print-go-url)
	print_go_url "${2:-}"
	;;
-h | --help)
	sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
	;;
"")
	main
	;;
*)
	die "unknown argument '$1' (try --help)"
	;;
esac
