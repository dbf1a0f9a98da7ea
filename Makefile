# flamelens — the README's two set-up commands are `make run` (after the
# apt-get line) and `make check`; the other targets are for development.

GO       ?= go
TAGS     := migrated_fynedo
FYNE     := $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
PREFIX   ?= /usr/local
DESTDIR  ?=
APPID    := io.github.flamelens
# The version: FyneApp.toml's, and the commit when built from a clone.
VERSION  := $(shell sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)$(shell git rev-parse --short HEAD 2>/dev/null | sed 's/^/+/')
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: run build check lint test bench package install uninstall package-check clean

# Start the app on the embedded sample profile (or ARGS="path/to/profile").
run:
	$(GO) run -tags $(TAGS) -ldflags "$(LDFLAGS)" ./cmd/flamelens $(ARGS)

# Build ./flamelens. Fyne reads FyneApp.toml from the executable's folder,
# which is the repository root here.
build:
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o flamelens ./cmd/flamelens

# Everything CI runs: formatting, vet, the layering rule, all tests, the package.
check: lint test package-check

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt would change: $$bad"; exit 1; fi
	$(GO) vet ./...
	@deps=$$($(GO) list -deps ./model/... ./render/... ./session/... ./output/...) || exit 1; \
	  if echo "$$deps" | grep -q '^fyne.io/'; then \
	    echo "model/, render/, session/ or output/ depends on fyne.io: keep Fyne in ui/"; exit 1; fi
	@if $(GO) list -deps ./render | grep -q '/flamelens/session'; then \
	    echo "render/ depends on session/: it draws model values; what a view writes lives in output/"; exit 1; fi
	@if $(GO) list -deps ./model | grep -qx 'net/http'; then \
	    echo "model/ depends on net/http: fetching lives in session/fetch"; exit 1; fi
	@extra=$$($(GO) list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' ./model | \
	    grep -vx -e 'github.com/flamelens/flamelens/model' -e 'github.com/google/pprof/profile' \
	      -e 'github.com/ianlancetaylor/demangle' -e 'github.com/sahilm/fuzzy'); \
	  if [ -n "$$extra" ]; then echo "model/ depends on $$extra: it takes the standard library, pprof's profile, demangle and fuzzy only"; exit 1; fi

# Every test runs under the race detector (the first build of the GL
# driver with -race takes a few minutes).
test:
	$(GO) test -race -timeout 30m ./...

# The speed targets (see the README's performance table).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./model/... ./insights ./listing ./disasm/...

# fyne package reads FyneApp.toml from the folder it builds, cmd/flamelens:
# it gets a copy of the root file with the icon path made relative to it.
cmd/flamelens/FyneApp.toml: FyneApp.toml
	sed 's|^Icon = "assets/|Icon = "../../assets/|' $< > $@

# dist/flamelens.tar.xz: fyne package's archive (the binary, the .desktop
# entry with the file types it opens, the icon, a Makefile), with the
# MIME types flamelens defines added and installed by its Makefile too.
# (Its Makefile takes the Exec line's %F for the binary's name: mended.)
package: cmd/flamelens/FyneApp.toml build
	$(FYNE) package --os linux --src cmd/flamelens --tags $(TAGS) --release
	rm -rf dist && mkdir -p dist/pkg
	tar -xJf flamelens.tar.xz -C dist/pkg && rm flamelens.tar.xz
	install -m755 flamelens dist/pkg/flamelens/usr/local/bin/flamelens # the same, with its version
	install -Dm644 assets/$(APPID).xml dist/pkg/flamelens/usr/local/share/mime/packages/$(APPID).xml
	sed -i -e 's/^Exec := .*/Exec := "flamelens"/' \
	  -e '/^install:/a\	install -Dm00644 usr/local/share/mime/packages/$$(AppID).xml $$(DESTDIR)$$(PREFIX)/share/mime/packages/$$(AppID).xml' \
	  -e '/^uninstall:/a\	-rm $$(DESTDIR)$$(PREFIX)/share/mime/packages/$$(AppID).xml' \
	  -e '/^user-install:/a\	install -Dm00644 usr/local/share/mime/packages/$$(AppID).xml $$(DESTDIR)$$(HOME)/.local/share/mime/packages/$$(AppID).xml' \
	  dist/pkg/flamelens/Makefile
	tar -cJf dist/flamelens.tar.xz -C dist/pkg flamelens
	rm -rf dist/pkg

# Install under $(DESTDIR)$(PREFIX): the binary (built with the version),
# the .desktop entry and icon from the package, the MIME types; then the
# desktop's caches are refreshed when installing for real.
install: package
	rm -rf dist/pkg && mkdir -p dist/pkg && tar -xJf dist/flamelens.tar.xz -C dist/pkg
	cd dist/pkg/flamelens && $(MAKE) install DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)"
	install -Dm644 assets/icon.png $(DESTDIR)$(PREFIX)/share/icons/hicolor/512x512/apps/$(APPID).png
	rm -rf dist/pkg
	@if [ -z "$(DESTDIR)" ]; then \
	  command -v update-mime-database >/dev/null && update-mime-database $(PREFIX)/share/mime || true; \
	  command -v update-desktop-database >/dev/null && update-desktop-database $(PREFIX)/share/applications || true; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/flamelens $(DESTDIR)$(PREFIX)/share/applications/$(APPID).desktop \
	  $(DESTDIR)$(PREFIX)/share/pixmaps/$(APPID).png $(DESTDIR)$(PREFIX)/share/icons/hicolor/512x512/apps/$(APPID).png \
	  $(DESTDIR)$(PREFIX)/share/mime/packages/$(APPID).xml

# What CI checks of the package: it installs into a staging folder with
# every file in place, a valid .desktop entry, and a binary that runs.
package-check:
	rm -rf dist/stage
	$(MAKE) install DESTDIR=$(CURDIR)/dist/stage PREFIX=/usr VERSION=$(VERSION)
	test -x dist/stage/usr/bin/flamelens
	dist/stage/usr/bin/flamelens version | grep -q '^flamelens $(VERSION) '
	grep -q '^Exec=flamelens %F$$' dist/stage/usr/share/applications/$(APPID).desktop
	grep -q '^MimeType=application/x-pprof;' dist/stage/usr/share/applications/$(APPID).desktop
	test -s dist/stage/usr/share/pixmaps/$(APPID).png
	test -s dist/stage/usr/share/icons/hicolor/512x512/apps/$(APPID).png
	test -s dist/stage/usr/share/mime/packages/$(APPID).xml
	if command -v desktop-file-validate >/dev/null; then desktop-file-validate dist/stage/usr/share/applications/$(APPID).desktop; fi
	rm -rf dist/stage

clean:
	rm -rf flamelens dist cmd/flamelens/FyneApp.toml
