#!/bin/bash
# CI for the provided VM, on a machine with no hypervisor (run as root):
#
#   a. vagrant validate on the Vagrantfile (Debian's vagrant), a check of
#      its settings, a YAML and structure check of lima/minibox.yaml, and
#      every script through the shellcheck linter;
#   b. the Go download of scripts/provision.sh: URL, sha256 and the
#      uname -m to Go architecture mapping (nothing is downloaded);
#   c. the whole repository builds and vets for linux/arm64 (Apple Silicon);
#   d. scripts/provision.sh for real, twice, on a fresh Debian userland
#      (debootstrap), then `make test` there as root with
#      MINIBOX_TEST_REQUIRE_ROOT=1. It gets CI's Go as the archive to
#      install and the host's Go module cache (GOPROXY=off: CI's network
#      is not the VM's); its build cache starts empty.
#
# Part d runs in private mount and PID namespaces: no mount reaches the
# host, and every process it started dies with it. Only the cache of
# .deb files in /var/cache/minibox-ci stays, so that a second run is faster.
#
#   scripts/ci-vm.sh              all of it
#   scripts/ci-vm.sh --no-userland  a, b and c only (no debootstrap)
# (--namespace and --guest are its own inner stages.)
set -euo pipefail

SUITE=bookworm
CACHE=/var/cache/minibox-ci
GUEST_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

step() { printf '\n== ci-vm: %s\n' "$*"; }
fail() {
	printf 'ci-vm: FAIL: %s\n' "$*" >&2
	exit 1
}

# ---------------------------------------------------------------- a. files

install_tools() {
	local need=() tool
	for tool in vagrant shellcheck debootstrap ruby; do
		command -v "$tool" >/dev/null || need+=("$tool")
	done
	[ "${#need[@]}" -eq 0 ] && return
	step "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"; then
		apt-get -o DPkg::Lock::Timeout=600 update -qq
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"
	fi
}

# vagrant_run ARGS...: vagrant with its state in a scratch directory, so
# that nothing lands in ~/.vagrant.d or the repository's .vagrant/.
vagrant_run() {
	local scratch
	scratch=$(mktemp -d)
	VAGRANT_HOME=$scratch/home VAGRANT_DOTFILE_PATH=$scratch/dotfile \
		VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_NO_COLOR=1 vagrant "$@" 2>&1 || true
	rm -rf "$scratch"
}

check_vagrantfile() {
	step "vagrant validate --ignore-provider ($(vagrant --version))"
	local out version
	# Debian's vagrant is older than the Vagrantfile requires: it must
	# refuse to run it, and validate it when told it only validates.
	# It may print warnings (plugins, running as root): they are shown,
	# and only the verdict counts.
	version=$(vagrant --version | awk '{print $2}')
	out=$(vagrant_run validate --ignore-provider)
	if [ "$(printf '%s\n' "$version" 2.4.2 | sort -V | head -n 1)" != 2.4.2 ]; then
		grep -q '>= 2.4.2' <<<"$out" ||
			fail "vagrant $version should refuse a Vagrantfile that requires >= 2.4.2; it said: $out"
		echo "vagrant $version refuses to run it, as it should (it requires >= 2.4.2)"
		out=$(MINIBOX_VAGRANT_VALIDATE_ONLY=1 vagrant_run validate --ignore-provider)
	fi
	printf '%s\n' "$out"
	grep -q 'Vagrantfile validated successfully' <<<"$out" || fail "vagrant validate"

	# validate --ignore-provider does not look inside provider blocks, and
	# this vagrant predates box_architecture: evaluate the file against a
	# recorder that stands for a current Vagrant, and check the settings.
	step "Vagrantfile settings"
	ruby - Vagrantfile <<'RUBY'
$calls = []
class Recorder
  def initialize(path) @path = path end
  def respond_to_missing?(*) true end
  def method_missing(name, *args, &block)
    key = "#{@path}.#{name.to_s.chomp('=')}"
    if name == :[]=
      $calls << ["#{@path}[#{args[0]}]", args[1]]
    elsif name.to_s.end_with?("=")
      $calls << [key, args[0]]
    elsif block
      block.call(Recorder.new("#{key}(#{args[0]})"))
    else
      $calls << [key, args]
      return Recorder.new(key)
    end
  end
end
module Vagrant
  def self.require_version(*req) $calls << ["require_version", req] end
  def self.configure(_) yield Recorder.new("config") end
end
load ARGV[0]
got = ->(key) { ($calls.reverse.find { |k, _| k == key } || [])[1] }
errors = []
want = {
  "require_version" => [">= 2.4.2"],
  "config.vm.box" => "bento/ubuntu-24.04",
  "config.vm.box_architecture" => :auto,
  "config.vm.provider(virtualbox).cpus" => 2,
  "config.vm.provider(virtualbox).memory" => 4096,
  "config.vm.provider(vmware_desktop).vmx[numvcpus]" => "2",
  "config.vm.provider(vmware_desktop).vmx[memsize]" => "4096",
  "config.vm.provider(parallels).cpus" => 2,
  "config.vm.provider(parallels).memory" => 4096,
}
want.each { |k, v| errors << "#{k} is #{got.(k).inspect}, want #{v.inspect}" unless got.(k) == v }
errors << "box_version #{got.("config.vm.box_version").inspect} is not a pinned version" unless got.("config.vm.box_version").to_s =~ /\A\d{6}\.\d{2}\.\d+\z/
folders = $calls.select { |k, _| k == "config.vm.synced_folder" }.map { |_, a| a }
errors << "the repository is not synced to /workshop" unless folders.any? { |a| a[0] == "." && a[1] == "/workshop" && !(a[2] || {})[:disabled] }
shell = $calls.find { |k, a| k == "config.vm.provision" && a[0] == "shell" }
errors << "no shell provisioner running scripts/provision.sh" unless shell && shell[1][1][:path] == "scripts/provision.sh"
errors << "MINIBOX_ROOT is not /var/lib/minibox" unless shell && shell[1][1][:env]["MINIBOX_ROOT"] == "/var/lib/minibox"
abort(errors.map { |e| "Vagrantfile: #{e}" }.join("\n")) unless errors.empty?
puts "box #{got.("config.vm.box")} #{got.("config.vm.box_version")}, architecture :auto; virtualbox, vmware_desktop, parallels: 2 CPUs, 4 GiB; /workshop; scripts/provision.sh"
RUBY
}

# Lima is not installed here (no limactl validate): the template is parsed
# by a real YAML parser (Ruby's Psych, which comes with vagrant), then its
# structure is checked, and its provisioning script goes through shellcheck.
check_lima() {
	step "lima/minibox.yaml"
	local script
	script=$(mktemp)
	ruby - lima/minibox.yaml "$script" <<'RUBY'
require "yaml"
y = YAML.safe_load(File.read(ARGV[0]))
errors = []
%w[x86_64 aarch64].each do |arch|
  imgs = (y["images"] || []).select { |i| i["arch"] == arch }
  errors << "no image for #{arch}" if imgs.empty?
  imgs.each do |i|
    errors << "#{i["location"]}: not an Ubuntu 24.04 #{arch} cloud image" unless i["location"] =~ %r{\Ahttps://cloud-images\.ubuntu\.com/releases/noble/.*/ubuntu-24\.04-server-cloudimg-(amd64|arm64)\.img\z}
    want = arch == "x86_64" ? "amd64" : "arm64"
    errors << "#{i["location"]}: not #{want}" unless i["location"].include?("cloudimg-#{want}.img")
    errors << "#{i["location"]}: digest #{i["digest"]}" if i.key?("digest") && i["digest"] !~ /\Asha256:\h{64}\z/
  end
  errors << "no #{arch} image pinned by digest" unless imgs.any? { |i| i["digest"] }
end
errors << "cpus is #{y["cpus"].inspect}, want 2" unless y["cpus"] == 2
errors << "memory is #{y["memory"].inspect}, want 4GiB" unless y["memory"] == "4GiB"
m = (y["mounts"] || []).find { |x| x["mountPoint"] == "/workshop" }
errors << "the repository is not mounted writable at /workshop" unless m && m["writable"] == true
p = (y["provision"] || []).find { |x| x["mode"] == "system" }
errors << "no system provisioning script" unless p && p["script"].is_a?(String)
errors << "the provisioning script does not run /workshop/scripts/provision.sh" unless p && p["script"].include?("sh /workshop/scripts/provision.sh")
errors << "the provisioning script has Go template braces" if p && p["script"].include?("{{")
abort(errors.map { |e| "lima/minibox.yaml: #{e}" }.join("\n")) unless errors.empty?
File.write(ARGV[1], p["script"])
puts "YAML parses; x86_64 and aarch64 images (pinned, with fallbacks), 2 CPUs, 4GiB, /workshop, system provisioning"
RUBY
	sh -n "$script"
	shellcheck -s sh "$script" || fail "shellcheck on lima/minibox.yaml's provisioning script"
	rm -f "$script"
	echo "its provisioning script passes sh -n and shellcheck"
}

check_scripts() {
	step "shellcheck"
	local scripts=()
	mapfile -t scripts < <(find scripts -name '*.sh' | sort)
	scripts+=(.ci/run)
	shellcheck "${scripts[@]}"
	# A script that is run starts with #! and is executable; a library
	# that is sourced (gotest-json.sh) names its shell for shellcheck
	# and is not executable, so that nobody runs it by mistake.
	local f run=() sourced=()
	for f in "${scripts[@]}"; do
		if [ "$(head -c 2 "$f")" = '#!' ]; then
			[ -x "$f" ] || fail "$f starts with #! but is not executable: chmod +x $f"
			run+=("$f")
		else
			head -n 1 "$f" | grep -q '^# shellcheck shell=' ||
				fail "$f has no #! line and no '# shellcheck shell=' line: say how it is meant to be used"
			[ ! -x "$f" ] || fail "$f is sourced, not run, but is executable: chmod -x $f"
			sourced+=("$f")
		fi
	done
	echo "clean; executable: ${run[*]}; sourced: ${sourced[*]}"
}

# ---------------------------------------------------------------- b. Go URL

check_go_url() {
	step "scripts/provision.sh --print-go-url"
	local machine want out version url sha modgo
	declare -A sums=()
	for machine in x86_64:amd64 amd64:amd64 aarch64:arm64 arm64:arm64; do
		want=${machine#*:}
		machine=${machine%:*}
		out=$(scripts/provision.sh --print-go-url "$machine")
		version=$(sed -n 's/^version=//p' <<<"$out")
		url=$(sed -n 's/^url=//p' <<<"$out")
		sha=$(sed -n 's/^sha256=//p' <<<"$out")
		grep -qx "arch=$want" <<<"$out" || fail "$machine: $out"
		[ "$url" = "https://go.dev/dl/go$version.linux-$want.tar.gz" ] || fail "$machine: url $url"
		[[ $sha =~ ^[0-9a-f]{64}$ ]] || fail "$machine: sha256 '$sha'"
		if [ -n "${sums[$want]:-}" ] && [ "${sums[$want]}" != "$sha" ]; then fail "two sums for $want"; fi
		sums[$want]=$sha
		echo "$machine -> $url $sha"
	done
	[ "${sums[amd64]}" != "${sums[arm64]}" ] || fail "amd64 and arm64 have the same sum"
	for machine in riscv64 armv7l i686; do
		if out=$(scripts/provision.sh --print-go-url "$machine" 2>&1); then
			fail "$machine should be refused; got: $out"
		fi
		grep -q "unsupported architecture '$machine'" <<<"$out" || fail "$machine: $out"
		echo "$machine -> refused: $out"
	done
	modgo=$(awk '$1 == "go" { print $2; exit }' go.mod)
	if [ "$(printf '%s\n' "$modgo" "$version" | sort -V | head -n 1)" != "$modgo" ]; then
		fail "provision.sh pins Go $version, older than go.mod's go $modgo"
	fi
	echo "Go $version is at or above go.mod's go $modgo"
}

# ---------------------------------------------------------------- c. arm64

check_arm64() {
	step "GOARCH=arm64 go build ./... && go vet ./..."
	GOARCH=arm64 go build ./...
	GOARCH=arm64 go vet ./...
	echo "linux/arm64 builds and vets"
}

# ------------------------------------------------------------ d. userland

# apt_mirror prints the Debian mirror this machine's apt uses for $SUITE.
apt_mirror() {
	local f mirror=""
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		mirror=$(awk -v suite="$SUITE" '
			BEGIN { RS = ""; FS = "\n" }
			{
				uris = ""; match_suite = 0; on = 1
				for (i = 1; i <= NF; i++) {
					line = $i
					if (line ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", line); uris = line }
					if (line ~ /^Suites:/) {
						sub(/^Suites:[ \t]*/, "", line)
						n = split(line, s, /[ \t]+/)
						for (j = 1; j <= n; j++) if (s[j] == suite) match_suite = 1
					}
					if (line ~ /^Enabled:[ \t]*no/) on = 0
					if (line ~ /^Types:/ && line !~ /[ \t]deb([ \t]|$)/) on = 0
				}
				if (match_suite && on && uris != "") { split(uris, u, /[ \t]+/); print u[1]; exit }
			}' "$f")
		[ -n "$mirror" ] && break
	done
	if [ -z "$mirror" ]; then
		mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed 's/\[[^]]*\]//' | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }')
	fi
	echo "${mirror:-http://deb.debian.org/debian}"
}

# mounts_under DIR prints the mount points at or below DIR.
mounts_under() {
	awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo
}

check_userland() {
	local tmp mirror tarball arch gosha gomodcache start
	arch=$(dpkg --print-architecture)
	mirror=$(apt_mirror)
	mkdir -p "$CACHE/apt-archives"
	tarball=$CACHE/debootstrap-$SUITE-minbase-$arch.tar
	exec 9>"$CACHE/lock"
	flock 9

	tmp=$(mktemp -d /var/tmp/minibox-ci.XXXXXX)
	# On success and failure: the namespaces are gone by then, and with
	# them every mount; check anyway before deleting anything.
	# shellcheck disable=SC2064 # $tmp is fixed now
	trap "cleanup_userland '$tmp'" EXIT

	step "debootstrap $SUITE (minbase, $arch) from $mirror"
	start=$SECONDS
	# The .debs, downloaded once a month at most: debootstrap's own tarball.
	if [ ! -s "$tarball" ] || [ -n "$(find "$tarball" -mtime +30)" ]; then
		echo "downloading the packages into $tarball"
		rm -f "$tarball.new"
		debootstrap --variant=minbase --make-tarball="$tarball.new" "$SUITE" "$tmp/make-tarball" "$mirror" >"$tmp/make-tarball.log" 2>&1 ||
			{
				tail -n 30 "$tmp/make-tarball.log"
				fail "debootstrap --make-tarball"
			}
		mv "$tarball.new" "$tarball"
		rm -rf "$tmp/make-tarball"
	else
		echo "using the cached $tarball"
	fi

	# CI's own Go, packed as an archive for MINIBOX_GO_TARBALL: there is no
	# go.dev to download from here. Its sum is ours, given beside it.
	echo "packing $(go env GOROOT) as the Go archive"
	tar -C "$(dirname "$(go env GOROOT)")" -cf - "$(basename "$(go env GOROOT)")" | gzip -1 >"$tmp/go.tar.gz"
	gosha=$(sha256sum "$tmp/go.tar.gz" | cut -d ' ' -f 1)
	# The module cache too: the guest builds with GOPROXY=off from it. Only
	# sources come from the host; the build cache starts empty, so that a
	# compiler or C header missing from the provisioning shows.
	go mod download
	gomodcache=$(go env GOMODCACHE)
	echo "prepared in $((SECONDS - start)) s"

	unshare --mount --propagation private --pid --fork --kill-child -- \
		"$BASH" "$0" --namespace "$tmp" "$tarball" "$mirror" "$gosha" "$gomodcache"
}

cleanup_userland() {
	local tmp=$1 left
	left=$(mounts_under "$tmp")
	if [ -n "$left" ]; then
		echo "ci-vm: mounts left under $tmp, not deleting it: $left" >&2
		return
	fi
	rm -rf --one-file-system "$tmp"
}

# In the new mount and PID namespaces: the userland, its mounts, then
# pivot_root into it (a chroot would not do: the kernel refuses to make a
# user namespace inside a chroot, and chapter 2 makes them).
in_namespace() {
	local tmp=$1 tarball=$2 mirror=$3 gosha=$4 gomodcache=$5 root=$1/root repo
	repo=$(pwd)
	mount --make-rprivate /
	debootstrap --variant=minbase --unpack-tarball="$tarball" "$SUITE" "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
		{
			tail -n 30 "$tmp/debootstrap.log"
			fail "debootstrap --unpack-tarball"
		}
	echo "a fresh $SUITE in $root: $(du -sh "$root" | cut -f 1)"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	mv "$tmp/go.tar.gz" "$root/tmp/go.tar.gz"

	mount --bind "$root" "$root" # pivot_root wants a mount point
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys" # with the host's cgroups, for chapter 3
	mount --rbind /dev "$root/dev"
	mount -t tmpfs -o mode=0755 tmpfs "$root/run"
	mkdir -p "$root/workshop"
	mount --bind "$repo" "$root/workshop"
	mount --bind "$CACHE/apt-archives" "$root/var/cache/apt/archives"
	mkdir -p "$root/root/go/pkg/mod"
	mount --bind "$gomodcache" "$root/root/go/pkg/mod"

	mkdir "$root/.oldroot"
	cd "$root"
	pivot_root . .oldroot
	exec chroot . /usr/bin/env -i PATH="$GUEST_PATH" HOME=/root TERM=dumb LANG=C.UTF-8 \
		MINIBOX_GO_SHA256="$gosha" \
		/bin/bash -c 'umount -l /.oldroot && rmdir /.oldroot && cd /workshop && exec /bin/bash scripts/ci-vm.sh --guest'
}

# What provisioning touches, to compare before and after a second run.
provision_state() {
	dpkg-query -W -f '${Package} ${Version} ${Status}\n' | sort
	# Absent paths print their error, the same both times.
	stat -c '%n %i %Y' /usr/local/go /usr/local/go/bin/go /usr/local/go/.minibox-archive-sha256 \
		/etc/profile.d/go.sh /var/lib/minibox /etc/sysctl.d 2>&1 || true
	cat /usr/local/go/.minibox-archive-sha256 /etc/profile.d/go.sh
	ls -l --time-style=+%s /usr/local/bin/go /usr/local/bin/gofmt /etc/sysctl.d 2>&1 || true
	git config --system --list
}

# Inside the fresh userland, as its root.
guest() {
	local start=$SECONDS
	export MINIBOX_GO_TARBALL=/tmp/go.tar.gz
	step "scripts/provision.sh, first run ($(sed -n "s/^PRETTY_NAME=//p" /etc/os-release))"
	sh scripts/provision.sh 2>&1 | tee /tmp/provision-1.log
	provision_state >/tmp/state-1
	echo "first run: $((SECONDS - start)) s"

	step "scripts/provision.sh, second run: must change nothing"
	sh scripts/provision.sh 2>&1 | tee /tmp/provision-2.log
	provision_state >/tmp/state-2
	grep -q '^provision: nothing to do' /tmp/provision-2.log ||
		fail "the second run did something (see above)"
	diff -u /tmp/state-1 /tmp/state-2 || fail "the second run changed the machine (diff above)"
	echo "idempotent: the second run says nothing to do, and the packages, Go, PATH and config files are as they were"
	# Drop superseded .debs from the shared cache ($CACHE/apt-archives).
	apt-get -qq autoclean
	sh scripts/deps.sh | grep -q "^deps: all installed" ||
		fail "scripts/deps.sh still had something to install after provisioning"

	step "Go on a login's PATH"
	# shellcheck disable=SC2016 # expanded by the login shell
	env -i HOME=/root TERM=dumb bash -lc 'case ":$PATH:" in *:/usr/local/go/bin:*) ;; *) echo "PATH=$PATH"; exit 1 ;; esac; command -v go; go version' ||
		fail "/etc/profile.d/go.sh does not put Go on a login's PATH"

	step "make test, as root, MINIBOX_TEST_REQUIRE_ROOT=1"
	start=$SECONDS
	unset MINIBOX_GO_TARBALL MINIBOX_GO_SHA256
	env -i HOME=/root TERM=dumb LANG=C.UTF-8 GOPROXY=off MINIBOX_TEST_REQUIRE_ROOT=1 bash -lc 'make test'
	echo "make test: $((SECONDS - start)) s"
}

main() {
	[ "$(id -u)" -eq 0 ] || fail "run it as root (it installs packages and runs debootstrap)"
	cd "$(dirname "$0")/.."
	command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
	local t0=$SECONDS t times=()
	install_tools
	t=$SECONDS
	check_vagrantfile
	check_lima
	check_scripts
	times+=("files $((SECONDS - t)) s")
	t=$SECONDS
	check_go_url
	check_arm64
	times+=("go url and arm64 $((SECONDS - t)) s")
	if [ "${1:-}" != --no-userland ]; then
		t=$SECONDS
		check_userland
		times+=("userland and make test $((SECONDS - t)) s")
	fi
	local summary
	summary=$(printf "%s, " "${times[@]}")
	step "passed: ${summary%, }; $((SECONDS - t0)) s in all"
}

case "${1:-}" in
--namespace)
	shift
	in_namespace "$@"
	;;
--guest)
	guest
	;;
"" | --no-userland)
	main "$@"
	;;
*)
	fail "unknown argument '$1'"
	;;
esac
