#!/bin/sh
# Install the Debian/Ubuntu packages the workshop needs and are missing,
# through apt-get, and say so. Run by `make deps`, `make test` and
# `make demo`; running it again changes nothing.
set -eu

# busybox-static: the userland of every container (a dynamically linked
# busybox cannot run in a chroot: there is no /lib there).
# skopeo, umoci: chapter 4's tests check that they read minibox's images
# and that minibox reads theirs.
# runc: `make bench` compares minibox's start-to-exit with runc's.
# iproute2: chapter 7's steps show the network namespaces they make with ip;
# nftables: minibox's NAT rules (chapter 7) are loaded with nft.
packages="busybox-static skopeo umoci runc iproute2 nftables"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}

missing=""
for pkg in $packages; do
	installed "$pkg" || missing="$missing $pkg"
done

if [ -z "$missing" ]; then
	echo "deps: all installed ($packages)"
	exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: missing$missing; installing:"
echo "  $sudo apt-get install -y --no-install-recommends$missing"
apt_install() {
	# shellcheck disable=SC2086 # the package list is meant to split
	$sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $missing
}
if ! apt_install; then
	echo "deps: apt-get install failed; updating the package lists and trying again"
	$sudo apt-get -o DPkg::Lock::Timeout=600 update
	apt_install
fi
