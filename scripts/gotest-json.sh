# shellcheck shell=bash
# Read the stream of `go test -json`. Sourced by test-repeat.sh and
# cgroup2-vm.sh.

# gotest_events ACTION FILE: "package test" for each test that ended with
# ACTION (pass, fail or skip), and "package (package)" for a package that
# ended so as a whole (a failed build, a panic, a test binary's exit; a
# package without tests is a skip). go test -json writes its fields in a
# fixed order: Time, Action, Package, Test, ...
gotest_events() {
	sed -n "s/.*\"Action\":\"$1\",\"Package\":\"\([^\"]*\)\",\"Test\":\"\([^\"]*\)\".*/\1 \2/p
		s/.*\"Action\":\"$1\",\"Package\":\"\([^\"]*\)\",\"Elapsed\".*/\1 (package)/p" "$2"
}

# gotest_output FILE TEST...: the output that the named tests (and their
# subtests) printed, as go test -v prints it.
gotest_output() {
	local file=$1 test
	shift
	for test in "$@"; do
		grep -F "\"Test\":\"$test\"" "$file" | grep '"Action":"output"'
	done | sed 's/.*"Output":"\(.*\)"}$/\1/; s/\\n$//; s/\\t/\t/g; s/\\"/"/g; s/\\u0026/\&/g; s/\\u003c/</g; s/\\u003e/>/g; s/\\\\/\\/g'
}
