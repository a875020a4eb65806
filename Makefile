# minibox: build a container runtime, one chapter at a time.
# `make help` lists the targets.

GO      ?= go
BIN     := bin
# Static programs: minibox is also the attack lab's probe, copied into a
# busybox image that has no C library (chapter 6).
export CGO_ENABLED := 0
# Root is needed for chroot, namespaces, cgroups and mounts. Without it the
# targets that need it say so and run through sudo, visibly.
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)
# Under sudo the tests keep the caller's PATH: sudo's own secure_path lacks
# /usr/local/go/bin, and the tests build the programs with go.
GOTEST  := $(GO) test $(if $(SUDO),-exec "sudo env PATH=$(PATH)",)
CH      ?= 1

.PHONY: help build demo test prove-exercises test-repeat attack-lab test-chapter test-cgroup2 deps bench fuzz lint clean

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z0-9-]+:.*## / { printf "  make %-13s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: ## build the programs in cmd/ into bin/
	$(GO) build -o $(BIN)/ ./cmd/...

demo: deps build ## run every step of every chapter in order, with its check
	$(SUDO) $(BIN)/workshop demo

# -p 1: the packages' tests share the kernel's state (the cgroups under
# /sys/fs/cgroup/*/minibox, which every minibox command sweeps, and the CPU
# that the quota tests measure): one package at a time.
test: deps ## go vet, every package's tests (privileged ones too, via sudo if not root), the exercises' proof
	$(GO) vet ./...
	$(GOTEST) -p 1 -count=1 ./...
	$(MAKE) --no-print-directory prove-exercises

# Each exercise's tests fail on its stub, naming it, and pass on the
# reference, with the whole tree building: the proof builds the tree once
# per exercise, so it is a target of its own (make test runs it too).
prove-exercises: ## prove every practice exercise honest (fails on its stub, passes on the reference)
	MINIBOX_PROVE_EXERCISES=1 $(GO) test -count=1 $(if $(SUDO),-exec "sudo env PATH=$(PATH) MINIBOX_PROVE_EXERCISES=1",) -run '^TestExercisesAreHonest$$' ./chapters/

N       ?= 10
test-repeat: deps ## hunt flakes: the suite N times on a fresh clone (make test-repeat N=10 LOAD=1)
	scripts/test-repeat.sh $(N)

attack-lab: deps build ## every attack of chapter 6 in the jail, then against minibox (step 6.7)
	$(SUDO) $(BIN)/workshop run security.lab

test-chapter: deps ## the tests of one chapter: make test-chapter CH=2
	$(GOTEST) -count=1 -v ./chapters/$$(printf %02d $(CH))-*/

test-cgroup2: deps ## the whole suite and workshop demo on a pure cgroup v2 kernel, booted in QEMU (amd64)
	$(SUDO) scripts/cgroup2-vm.sh

deps: ## install what is missing (busybox-static, ...) with apt-get
	@scripts/deps.sh

# The benchmarks' files carry the bench build tag: go test ./... leaves them out.
bench: deps ## benchmarks, side by side with the tools they are compared to
	$(GOTEST) -tags bench -run '^$$' -bench . -benchmem ./...
	$(GOTEST) -tags bench -count=1 -run '^TestCompareWithTar$$' -v ./chapters/04-images/
	$(GOTEST) -tags bench -count=1 -run '^TestCompareWithRunc$$' -v ./cmd/minibox/

fuzz: ## a short fuzz run of the layer extractor
	$(GO) test -run '^$$' -fuzz '^FuzzExtract$$' -fuzztime=20000x ./chapters/04-images/

lint: ## gofmt, go vet and shellcheck
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed on:"; gofmt -l .; exit 1; }
	$(GO) vet -tags bench ./...
	GOARCH=arm64 $(GO) vet -tags bench ./...
	shellcheck .ci/run scripts/*.sh

clean: ## remove bin/ and what the steps made (progress is kept: workshop reset)
	rm -rf $(BIN)
	$(SUDO) rm -rf --one-file-system $${MINIBOX_ROOT:-/var/lib/minibox}/workshop
