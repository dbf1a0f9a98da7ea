package ui

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/rymdport/portal/filechooser"
)

// fakePortal is an XDG desktop portal's FileChooser on a private session
// bus, as GNOME's or KDE's answers: the user "picks" path.
type fakePortal struct {
	conn  *dbus.Conn
	path  string
	asked chan map[string]dbus.Variant
	done  chan struct{}
}

// OpenFile is the portal's method: it returns a request handle, then
// answers on it when the user has chosen (here: again and again until the
// test ends, as the caller listens only once the call has returned).
func (f *fakePortal) OpenFile(parent, title string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	f.asked <- options
	go func() {
		for {
			select {
			case <-f.done:
				return
			case <-time.After(20 * time.Millisecond):
				f.conn.Emit("/org/freedesktop/portal/desktop", "org.freedesktop.portal.Request.Response",
					uint32(0), map[string]dbus.Variant{"uris": dbus.MakeVariant([]string{"file://" + f.path})})
			}
		}
	}()
	return "/org/freedesktop/portal/desktop/request/1_1/t", nil
}

// startSessionBus starts a private D-Bus session bus and returns its
// address; it is stopped when the test ends.
func startSessionBus(t *testing.T) string {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Skip("no dbus-daemon (Debian's dbus package) to run a session bus")
	}
	cmd := exec.Command(daemon, "--session", "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// The desktop's chooser is asked through the real portal protocol: a
// session bus, the portal's FileChooser.OpenFile, its Response.
func TestDesktopChooserOverTheSessionBus(t *testing.T) {
	addr := startSessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	want, _ := filepath.Abs("../testdata/sort.cpu.pprof")
	fake := &fakePortal{conn: conn, path: want, asked: make(chan map[string]dbus.Variant, 1), done: make(chan struct{})}
	defer close(fake.done)
	if err := conn.Export(fake, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.FileChooser"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.portal.Desktop", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not be the portal: %v %v", reply, err)
	}
	dc := &desktopChooser{openFile: filechooser.OpenFile}
	got, err := dc.open("", pickOpen, "/tmp", false)
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("the chooser gave %q, %v; want %q", got, err, want)
	}
	opts := <-fake.asked
	if folder := string(opts["current_folder"].Value().([]byte)); !strings.HasPrefix(folder, "/tmp") {
		t.Errorf("asked to start in %q", folder)
	}
	if v, ok := opts["accept_label"]; !ok || v.Value() != pickOpen.confirm {
		t.Errorf("accept label %v", opts["accept_label"])
	}
}
