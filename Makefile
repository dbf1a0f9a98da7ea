# flamelens — the README's two set-up commands are `make run` (after the
# apt-get line) and `make check`; the other targets are for development.

GO       ?= go
TAGS     := migrated_fynedo
FYNE     := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
PREFIX   ?= /usr/local

.PHONY: run build check lint test bench package clean

# Start the app on the embedded sample profile (or ARGS="path/to/profile").
run:
	$(GO) run -tags $(TAGS) ./cmd/flamelens $(ARGS)

# Build ./flamelens. Fyne reads FyneApp.toml from the executable's folder,
# which is the repository root here.
build:
	$(GO) build -tags $(TAGS) -o flamelens ./cmd/flamelens

# Everything CI runs: formatting, vet, the layering rule, all tests.
check: lint test

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi
	$(GO) vet ./...
	@deps=$$($(GO) list -deps ./model/... ./render/...) || exit 1; \
	  if echo "$$deps" | grep -q '^fyne.io/'; then \
	    echo "model/ or render/ depends on fyne.io: keep Fyne in ui/"; exit 1; fi

# Every test runs under the race detector (the first build of the GL
# driver with -race takes a few minutes).
test:
	$(GO) test -race -timeout 30m ./...

# The speed targets (see the README's performance table).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./model/...

# fyne package reads FyneApp.toml from the folder it builds, cmd/flamelens:
# it gets a copy of the root file with the icon path made relative to it.
cmd/flamelens/FyneApp.toml: FyneApp.toml
	sed 's|^Icon = "assets/|Icon = "../../assets/|' $< > $@

package: cmd/flamelens/FyneApp.toml
	$(FYNE) package --os linux --src cmd/flamelens --tags $(TAGS) --release
	mkdir -p dist && mv flamelens.tar.xz dist/

clean:
	rm -rf flamelens dist cmd/flamelens/FyneApp.toml
