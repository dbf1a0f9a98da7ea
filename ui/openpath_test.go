package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/rymdport/portal/filechooser"
)

func TestProfileNames(t *testing.T) {
	for name, want := range map[string]bool{
		"cpu.pprof": true, "mem.prof": true, "profile.pb.gz": true, "CPU.PB.GZ": true, "stacks.folded": true,
		"out.collapsed": true, "stacks.txt": true, "team.flamelens": true, "profile": true, "heap": true,
		"cpu-20261207": true, "notes.md": false, "main.go": false, "image.png": false, "go.sum": false,
	} {
		if got := isProfileName(name); got != want {
			t.Errorf("isProfileName(%q) = %v, want %v", name, got, want)
		}
	}
}

// One file among 150 is found by typing a few letters of its name: the
// list narrows as it is typed (folders first, then profiles), Tab
// completes, Enter opens.
func TestOpenPathTypeAhead(t *testing.T) {
	test.NewTempApp(t)
	win := test.NewTempWindow(t, widget.NewLabel(""))
	win.Resize(fyne.NewSize(900, 700))
	dir := t.TempDir()
	for i := range 150 {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("run-%03d.pprof", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"notes.md", "run-notes.md"} {
		os.WriteFile(filepath.Join(dir, f), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "run-old"), 0o755)
	os.WriteFile(filepath.Join(dir, "run-old", "cpu.pprof"), nil, 0o644)

	var opened []string
	op := showOpenPath(win, dir, report{say: func(string) {}}, func(path string) { opened = append(opened, path) })
	if len(op.rows) != 153 || op.rows[0] != "run-old/" {
		t.Fatalf("the folder lists %d rows, first %q; want 153, its folder first", len(op.rows), op.rows[0])
	}
	test.Type(op.entry, "run-14")
	want := []string{"run-140.pprof", "run-141.pprof", "run-142.pprof", "run-143.pprof", "run-144.pprof",
		"run-145.pprof", "run-146.pprof", "run-147.pprof", "run-148.pprof", "run-149.pprof"}
	if !slices.Equal(op.rows, want) {
		t.Fatalf("after typing run-14: %v", op.rows)
	}
	test.Type(op.entry, "7")
	op.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if op.entry.Text != filepath.Join(dir, "run-147.pprof") {
		t.Errorf("Tab completed to %q", op.entry.Text)
	}
	op.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Equal(opened, []string{filepath.Join(dir, "run-147.pprof")}) {
		t.Fatalf("opened %v", opened)
	}

	// A folder chosen with ↓ and Enter is gone into; profiles come before
	// other files.
	op = showOpenPath(win, dir, report{say: func(string) {}}, func(path string) { opened = append(opened, path) })
	test.Type(op.entry, "run-")
	if op.rows[0] != "run-old/" || op.rows[len(op.rows)-1] != "run-notes.md" {
		t.Errorf("rows for run-: first %q, last %q; want the folder first, the notes last", op.rows[0], op.rows[len(op.rows)-1])
	}
	op.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	op.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if op.entry.Text != filepath.Join(dir, "run-old")+"/" || !slices.Equal(op.rows, []string{"cpu.pprof"}) {
		t.Errorf("after Enter on the folder: %q lists %v", op.entry.Text, op.rows)
	}
	if len(opened) != 1 {
		t.Errorf("a folder was opened as a profile: %v", opened)
	}

	// Tab with several rows completes what they all begin with.
	two := t.TempDir()
	for _, f := range []string{"älpha-one.pprof", "älpha-two.pprof"} {
		os.WriteFile(filepath.Join(two, f), nil, 0o644)
	}
	op = showOpenPath(win, two, report{say: func(string) {}}, func(string) {})
	test.Type(op.entry, "äl")
	op.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyTab})
	if op.entry.Text != filepath.Join(two, "älpha-") {
		t.Errorf("Tab over two rows completed to %q, want their common start", op.entry.Text)
	}
}

// File > Open asks the desktop's own file chooser, through the XDG portal,
// where the session has one; where it has none, Fyne's dialog, listing
// profile files.
func TestOpenAsksTheDesktopsChooserFirst(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nowhere") // a session bus is said to be there
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	var asked *filechooser.OpenFileOptions
	w.files.chooser.openFile = func(parent, title string, opt *filechooser.OpenFileOptions) ([]string, error) {
		asked = opt
		abs, _ := filepath.Abs("../testdata/sort.cpu.pprof")
		return []string{"file://" + abs}, nil
	}
	w.commands().open()
	w.wait()
	if asked == nil || asked.CurrentFilter == nil || asked.CurrentFilter.Name != "Profiles" || asked.CurrentFolder == "" {
		t.Fatalf("the chooser was asked %+v: want the profile filter and the profile's folder", asked)
	}
	if got := w.shown.profilePath; filepath.Base(got) != "sort.cpu.pprof" {
		t.Errorf("the profile chosen in the desktop's chooser was not opened: %q", got)
	}
	if top := w.Window().Canvas().Overlays().Top(); top != nil {
		t.Error("a Fyne dialog was shown besides the desktop's chooser")
	}

	// No portal: Fyne's dialog, and the portal is not asked again.
	calls := 0
	w.files.chooser.openFile = func(string, string, *filechooser.OpenFileOptions) ([]string, error) {
		calls++
		return nil, errors.New("org.freedesktop.DBus.Error.ServiceUnknown")
	}
	w.commands().open()
	w.wait()
	if w.Window().Canvas().Overlays().Top() == nil || !w.files.chooser.off {
		t.Fatal("with no portal, Fyne's file dialog was not shown")
	}
	w.Window().Canvas().Overlays().Top().Hide()
	w.commands().open()
	w.wait()
	if calls != 1 {
		t.Errorf("the missing portal was asked %d times", calls)
	}
}
