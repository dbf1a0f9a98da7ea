package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/flamelens/flamelens/model"
)

func TestHelpOverlayListsShortcuts(t *testing.T) {
	w := openTest(t, Options{})
	c := w.Window().Canvas()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	top := c.Overlays().Top()
	if top == nil {
		t.Fatal("F1 opened nothing")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	all := strings.Join(texts, "\n")
	for _, s := range shortcuts {
		if !strings.Contains(all, s.keys) || !strings.Contains(all, s.what) {
			t.Errorf("the help lacks %q: %q", s.keys, s.what)
		}
	}
	// Pressed again while open, it does not stack a second copy.
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF1})
	if n := len(c.Overlays().List()); n != 1 {
		t.Errorf("%d overlays after F1 twice", n)
	}
	w.help.open.Hide()
	if c.Overlays().Top() != nil || w.help.open != nil {
		t.Fatal("the help did not close")
	}
	// ? typed over the graph opens it too, instead of starting a search.
	test.Type(w.graph, "?")
	if c.Overlays().Top() == nil || w.searchBar.entry.Text != "" {
		t.Errorf("? over the graph: overlay %v, search %q", c.Overlays().Top() != nil, w.searchBar.entry.Text)
	}
}

// The README's keyboard table has every row the help overlay shows.
func TestReadmeListsTheShortcuts(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range shortcuts {
		if row := "| " + s.keys + " | " + s.what + " |"; !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %s", row)
		}
	}
}

// TestMenuItemsShowTheirShortcuts: every command with a shortcut shows it
// in the menu, and the shortcut does what the item does.
func TestMenuItemsShowTheirShortcuts(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	shown := map[string]string{}
	var walk func(items []*fyne.MenuItem)
	walk = func(items []*fyne.MenuItem) {
		for _, it := range items {
			if it.Shortcut != nil {
				shown[it.Label] = it.Shortcut.ShortcutName()
			}
			if it.ChildMenu != nil {
				walk(it.ChildMenu.Items)
			}
		}
	}
	for _, m := range w.menus.mainMenu().Items {
		walk(m.Items)
	}
	for label, want := range map[string]*desktop.CustomShortcut{
		"Open…": keyOpen, "Open Path…": keyOpenPath, "Open URL…": keyOpenURL, "Export… (SVG, PNG, HTML page, pprof)": keyExport, "Back": keyBack,
		"Forward": keyForward, "Search": keySearch, "Show Source": keySource, "Show Machine Code": keyAsm,
		"Insights": keyInsights, "Keyboard Shortcuts": keyHelp, "Zoom Out": keyZoomOut,
	} {
		if shown[label] != want.ShortcutName() {
			t.Errorf("%q shows %q, want %q", label, shown[label], want.ShortcutName())
		}
	}
	// The window takes each with its modifier: Ctrl+I shows the insights.
	w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(keyInsights)
	w.wait()
	if w.side.tabs.Selected() != w.side.insightsTab {
		t.Errorf("Ctrl+I: the %q tab is in front", w.side.tabs.Selected().Text)
	}
}

// TestEscWherever: Esc does what the status bar says wherever the focus
// is — in the search field (cleared first, then the graph's Esc), in the
// function table after a row's highlight, and over the keyboard help,
// which it closes.
func TestEscWherever(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}
	c := w.Window().Canvas()

	// A row of the function table picked: its frames highlighted.
	w.side.table.OnSelect(w.shown.view.Table[0].Func)
	if w.graph.highlight == nil || !strings.HasSuffix(w.status.Text, "Esc clears") {
		t.Fatalf("picking a row: highlight %v, status %q", w.graph.highlight != nil, w.status.Text)
	}
	c.Focus(w.side.table.table.keyTable)
	c.Focused().TypedKey(esc)
	if w.graph.highlight != nil {
		t.Error("Esc in the function table left the highlight")
	}

	// Zoomed, the search field focused with text: Esc clears it, then zooms out.
	w.graph.ZoomTo(boxOf(t, w.graph, "encoding/json.(*decodeState).object").Node)
	w.searchBar.start('j')
	c.Focused().TypedKey(esc)
	if w.searchBar.entry.Text != "" || w.graph.View().Focus == model.Root {
		t.Errorf("first Esc in the search field: text %q, zoomed %v", w.searchBar.entry.Text, w.graph.View().Focus != model.Root)
	}
	c.Focused().TypedKey(esc)
	if w.graph.View().Focus != model.Root {
		t.Error("Esc in the empty search field did not zoom out")
	}

	// F1's help closes with Esc.
	c.Unfocus()
	w.help.show()
	c.OnTypedKey()(esc)
	if w.help.open != nil || c.Overlays().Top() != nil {
		t.Error("Esc did not close the keyboard help")
	}
}
