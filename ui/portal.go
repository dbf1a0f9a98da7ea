package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"github.com/rymdport/portal"
	"github.com/rymdport/portal/filechooser"

	"github.com/flamelens/flamelens/session"
)

// desktopChooser is the desktop's own file chooser (GNOME's, KDE's, …),
// asked for through the XDG desktop portal over the session's D-Bus, as
// Fyne asks for it in a Flatpak; outside one Fyne shows its own dialog, so
// flamelens asks the portal itself and falls back to Fyne's dialog when
// the session has no bus or no portal.
type desktopChooser struct {
	// openFile asks the portal; filechooser.OpenFile but in tests.
	openFile func(parent, title string, opt *filechooser.OpenFileOptions) ([]string, error)
	// off is set once the portal is found missing: Fyne's dialog from then on.
	off bool
}

// errNoPortal says the session has no bus or no file chooser portal.
var errNoPortal = errors.New("no desktop file chooser")

// sessionBus reports whether the session has a D-Bus to ask: its address
// is set or its socket is where systemd puts it. Without one, godbus
// would try to start a bus of its own (dbus-launch), which flamelens
// never wants.
func sessionBus() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return true
	}
	_, err := os.Stat("/run/user/" + strconv.Itoa(os.Getuid()) + "/bus")
	return err == nil
}

// open asks the desktop's chooser, over the window handle parent (see
// windowHandle), for a profile file, or several when multiple; run it off
// the UI goroutine, as it returns when the user has chosen. It returns the
// paths chosen, none when the user cancelled, or errNoPortal when there is
// no chooser to ask or it failed (Fyne's dialog is then shown instead).
func (dc *desktopChooser) open(parent string, what pick, folder string, multiple bool) ([]string, error) {
	if !dc.usable() {
		return nil, errNoPortal
	}
	opt := &filechooser.OpenFileOptions{AcceptLabel: what.confirm, CurrentFolder: folder, Multiple: multiple,
		Filters: []*filechooser.Filter{profileFilter, allFiles}, CurrentFilter: profileFilter}
	uris, err := dc.openFile(parent, what.title, opt)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoPortal, err)
	}
	var paths []string
	for _, uri := range uris {
		u, err := url.Parse(uri)
		if err != nil || u.Scheme != "file" {
			return nil, fmt.Errorf("the desktop's file chooser gave %s, not a local file", uri)
		}
		paths = append(paths, u.Path)
	}
	return paths, nil
}

// usable reports whether the desktop's chooser may be asked: one is
// given, not found missing before, and the session has a bus.
func (dc *desktopChooser) usable() bool {
	return dc != nil && !dc.off && dc.openFile != nil && sessionBus()
}

// windowHandle names win to the portal, so its chooser is placed over it:
// "x11:<id>" under X11 (a Wayland handle needs xdg-foreign: none).
func windowHandle(win fyne.Window) string {
	handle := ""
	if nw, ok := win.(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
				handle = portal.FormatX11WindowHandle(x.WindowHandle)
			}
		})
	}
	return handle
}

// The chooser's filters: profiles (as the file manager's MIME types
// name them, and by the names pprof and the profilers write), or all.
var (
	profileFilter = &filechooser.Filter{Name: "Profiles", Rules: profileRules()}
	allFiles      = &filechooser.Filter{Name: "All files", Rules: []filechooser.Rule{{Type: filechooser.GlobPattern, Pattern: "*"}}}
)

func profileRules() []filechooser.Rule {
	rules := []filechooser.Rule{{Type: filechooser.MIMEType, Pattern: "application/x-pprof"}, {Type: filechooser.MIMEType, Pattern: "text/x-folded-stacks"}}
	for _, ext := range profileExtensions {
		rules = append(rules, filechooser.Rule{Type: filechooser.GlobPattern, Pattern: "*" + ext})
	}
	for _, name := range profileNames {
		rules = append(rules, filechooser.Rule{Type: filechooser.GlobPattern, Pattern: name})
	}
	return rules
}

// profileExtensions and profileNames are what profile files are called
// (session.IsProfileName), and a saved session's ".flamelens".
var (
	profileExtensions = append(session.ProfileExtensions(), session.SessionExt)
	profileNames      = session.ProfileNames()
)

// profileFiles is Fyne's file dialog's filter: the names above, and names
// with no extension at all (a profile saved from a URL as it came).
type profileFiles struct{}

func (profileFiles) Matches(u fyne.URI) bool { return isProfileName(u.Name()) }

// isProfileName reports whether a file's name is one a profile, or a
// saved session, has.
func isProfileName(name string) bool {
	return session.IsProfileName(name) || strings.HasSuffix(strings.ToLower(name), session.SessionExt)
}
