#!/bin/bash
# Hunt for flakes: run the whole test suite N times in a row on a fresh
# clone of the committed HEAD, and print every test that failed in any run,
# with how often it failed.
#
#   scripts/test-repeat.sh [N]      N runs (default 10); make test-repeat N=10
#   LOAD=1 scripts/test-repeat.sh   the same, with every core kept busy at the
#                                   lowest priority (nice 19), as on a shared
#                                   CI machine
#
# Each run is `go test -json -p 1 -count=1 ./...`, as `make test` runs it,
# as root (through sudo when not root) with MINIBOX_TEST_REQUIRE_ROOT=1, so
# that a privileged test fails instead of skipping. Uncommitted changes are
# not in the clone: commit first. The clone is removed at the end; the
# output of a failed run is kept, and its path printed. Exits 0 only if
# every run passed.
set -euo pipefail

runs=${1:-10}
case $runs in '' | *[!0-9]* | 0)
	echo "test-repeat: N must be a number of runs, 1 or more (got \"$runs\")" >&2
	exit 2
	;;
esac

top=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
# What the tests need (busybox-static, skopeo, ...): without it every run
# fails alike, which hunts no flake.
"$top/scripts/deps.sh"
# shellcheck source=scripts/gotest-json.sh
. "$top/scripts/gotest-json.sh"
command -v go >/dev/null || export PATH="$PATH:/usr/local/go/bin"
exec_flag=()
[ "$(id -u)" -eq 0 ] || exec_flag=(-exec "sudo env PATH=$PATH")

work=$(mktemp -d "${TMPDIR:-/tmp}/minibox-test-repeat.XXXXXX")
load_pids=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	# Only the busy loops this script started, by PID.
	[ "${#load_pids[@]}" -eq 0 ] || kill "${load_pids[@]}" 2>/dev/null || true
	rm -rf "$work/clone"
	rmdir "$work" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

git clone -q "$top" "$work/clone"
echo "test-repeat: $runs runs of the suite on a fresh clone of $(git -C "$work/clone" log -1 --format='%h %s')"

if [ "${LOAD:-0}" = 1 ]; then
	for _ in $(seq "$(nproc)"); do
		nice -n 19 bash -c 'while :; do :; done' &
		load_pids+=($!)
	done
	echo "test-repeat: ${#load_pids[@]} busy loops at nice 19 (PIDs ${load_pids[*]})"
fi

failed_runs=0
: >"$work/all-failures"
for i in $(seq "$runs"); do
	log=$work/run-$i.json
	start=$SECONDS
	status=passed
	if ! (cd "$work/clone" && MINIBOX_TEST_REQUIRE_ROOT=1 go test "${exec_flag[@]}" -json -p 1 -count=1 ./... >"$log" 2>&1); then
		status=failed
	fi
	gotest_events fail "$log" >"$work/run-$i.failures"
	if [ "$status" = failed ] && [ ! -s "$work/run-$i.failures" ]; then
		echo "go test failed without a failing test (see the log)" >"$work/run-$i.failures"
	fi
	passed=$(gotest_events pass "$log" | grep -vc ' (package)$' || true)
	printf 'test-repeat: run %d/%d %s in %d s: %d tests passed, %d failed\n' \
		"$i" "$runs" "$status" $((SECONDS - start)) "$passed" "$(wc -l <"$work/run-$i.failures")"
	if [ "$status" = failed ]; then
		failed_runs=$((failed_runs + 1))
		cat "$work/run-$i.failures" >>"$work/all-failures"
		sed 's/^/    /' "$work/run-$i.failures"
	else
		rm -f "$log"
	fi
	rm -f "$work/run-$i.failures"
done

echo
if [ "$failed_runs" -eq 0 ]; then
	echo "test-repeat: $runs of $runs runs passed; no test ever failed"
	rm -f "$work/all-failures"
	exit 0
fi
echo "test-repeat: $failed_runs of $runs runs failed. Tests that failed, with the number of runs they failed in:"
sort "$work/all-failures" | uniq -c | sort -rn
echo "test-repeat: the failed runs' go test -json output is kept in $work/run-*.json"
exit 1
