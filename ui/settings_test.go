package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/flamelens/flamelens/render"
)

func TestCorruptPreferencesAreRestoredOrReset(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences.json")
	good := `{"theme":"dark","rootAtBottom":true,"windowWidth":900,"recentFiles":["/a.pprof","/b.pprof"]}`
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	if notice := checkPreferences(path, a.Preferences()); notice != "" {
		t.Errorf("a good file gave the notice %q", notice)
	}
	if bak, _ := os.ReadFile(path + ".bak"); string(bak) != good {
		t.Fatalf("backup holds %q", bak)
	}

	// Cut short, as a crash while Fyne writes it in place leaves it.
	os.WriteFile(path, []byte(good[:30]), 0o600)
	notice := checkPreferences(path, a.Preferences())
	if !strings.Contains(notice, "last good copy was restored") || !strings.Contains(notice, path+".corrupt") {
		t.Errorf("notice %q", notice)
	}
	p := a.Preferences()
	if p.String(themeKey) != "dark" || !p.Bool(rootAtBottomKey) || p.Float(windowWidthKey) != 900 ||
		!slices.Equal(p.StringList(recentKey), []string{"/a.pprof", "/b.pprof"}) {
		t.Errorf("not restored: theme %q, root at bottom %v, width %v, recent %v",
			p.String(themeKey), p.Bool(rootAtBottomKey), p.Float(windowWidthKey), p.StringList(recentKey))
	}
	if kept, _ := os.ReadFile(path + ".corrupt"); string(kept) != good[:30] {
		t.Errorf("the unreadable file was not kept: %q", kept)
	}

	// No good copy either: the settings start afresh, with a notice.
	os.WriteFile(path, []byte("\x00\x01 not json"), 0o600)
	os.WriteFile(path+".bak", []byte("[1,2"), 0o600)
	if notice := checkPreferences(path, test.NewTempApp(t).Preferences()); !strings.Contains(notice, "start afresh") {
		t.Errorf("notice %q", notice)
	}
}

func TestSettingsPersistAcrossWindows(t *testing.T) {
	a := test.NewTempApp(t)
	w := newMainWindow(a, Options{}, &uiQueue{})
	w.wait()
	setTheme(w.app, themeDark)
	if currentTheme() != render.DarkTheme || a.Preferences().String(themeKey) != themeDark {
		t.Error("the dark theme was not applied and kept")
	}
	w.tools.flameToggle.SetChecked(true)
	w.Window().Resize(fyne.NewSize(1000, 700))
	w.Window().Close()

	again := newMainWindow(a, Options{}, &uiQueue{})
	defer again.Window().Close()
	again.wait()
	if !again.tools.flameToggle.Checked || again.graph.view.Orientation != render.Flame {
		t.Error("root at bottom was not kept")
	}
	if s := again.Window().Canvas().Size(); s.Width != 1000 || s.Height != 700 {
		t.Errorf("window size %v, want the 1000x700 it was closed at", s)
	}
	if again.graph.theme != render.DarkTheme {
		t.Error("the new window's graph is not dark")
	}
	setTheme(again.app, themeSystem)
	if _, ok := a.Settings().Theme().(variantTheme); ok {
		t.Error("the system theme was not restored")
	}
}
