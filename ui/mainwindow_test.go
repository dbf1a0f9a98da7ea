package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func openTest(t *testing.T, opts Options) *MainWindow {
	t.Helper()
	a := test.NewTempApp(t)
	w := NewMainWindow(a, opts)
	t.Cleanup(w.Window().Close)
	w.wait()
	return w
}

func TestOpensEmbeddedSampleWithoutSource(t *testing.T) {
	w := openTest(t, Options{})
	if w.tree == nil {
		t.Fatal("no profile shown")
	}
	header := w.header.Text
	for _, want := range []string{"File: sample: encoding/json", "Type: cpu", "Duration: 10.88s", "Total: 21.22s"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	if got := w.table.cell(0, 4); got != "runtime.memmove" {
		t.Errorf("first row is %q, want runtime.memmove (pprof's top row)", got)
	}
	if got := w.table.cell(0, 0) + " " + w.table.cell(0, 1); got != "1.41s 6.64%" {
		t.Errorf("first row flat %q, want 1.41s 6.64%%", got)
	}
	if !strings.Contains(w.Window().Title(), "sample") {
		t.Errorf("title %q does not name the profile", w.Window().Title())
	}
}

func TestSampleTypeSwitch(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.mem.pprof"})
	if got := w.typeSelect.Selected; got != "alloc_space" {
		t.Fatalf("selected %q, want the default alloc_space", got)
	}
	if len(w.typeSelect.Options) != 4 {
		t.Errorf("options %v, want the profile's four types", w.typeSelect.Options)
	}
	w.typeSelect.SetSelected("inuse_objects")
	w.wait()
	if w.tree.SampleType.Name != "inuse_objects" {
		t.Errorf("tree is %s after choosing inuse_objects", w.tree.SampleType.Name)
	}
	if !strings.Contains(w.header.Text, "Type: inuse_objects") {
		t.Errorf("header %q not updated", w.header.Text)
	}
}

func TestBadFileKeepsOpenProfile(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	before := w.tree
	bad := filepath.Join(t.TempDir(), "bad.pprof")
	if err := os.WriteFile(bad, []byte("not a profile at all\x00\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Open(bad, "")
	w.wait()
	if w.tree != before {
		t.Error("the open profile was replaced by a failed load")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error dialog shown")
	}
	if w.progress.Visible() {
		t.Error("progress bar still shown after the load failed")
	}
	if !strings.Contains(w.Window().Title(), "json.cpu.pprof") {
		t.Errorf("title %q changed", w.Window().Title())
	}
}
