package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// shortcut is one row of the keyboard help: the keys and what they do.
type shortcut struct{ keys, what string }

// shortcuts lists every key the window answers to, for the help overlay
// (F1 or ?); the README's keyboard table has the same rows.
var shortcuts = []shortcut{
	{"F1 or ?", "this list of shortcuts"},
	{"Ctrl+O / Ctrl+Shift+O", "open a profile: in the file chooser / by typing its path (Tab completes)"},
	{"Ctrl+L / Ctrl+E", "open a URL / export the view"},
	{"Ctrl+F, or typing over the graph", "search"},
	{"Ctrl+U", "show the source of the selected frame (or the function picked in a table) with cost per line"},
	{"Ctrl+Shift+U", "show its machine code, instructions under their source lines, with cost per instruction"},
	{"Ctrl+I", "insights: what the profile shows in plain words; the largest finding's frames highlighted"},
	{"Enter / Shift+Enter (in search)", "next / previous match; with a jump list row chosen, jump to it"},
	{"↑ ↓ (in search)", "move in the jump list"},
	{"click, Enter", "zoom to a frame"},
	{"Esc", "clear the highlight, else zoom out"},
	{"Alt+← / Alt+→", "back / forward in the zoom history"},
	{"↑ ↓ ← → (on the graph)", "select the caller, the largest callee, the neighbours"},
	{"wheel, Ctrl+wheel, drag", "scroll rows, zoom sideways around the pointer, pan"},
	{"right click", "a frame's menu: copy, focus, callers and callees, filters"},
	{"drag / Shift+drag (on Pyroscope's range chart)", "show a range / compare it, as BASE, with the one shown"},
	{"Ctrl+Z", "remove the last filter step"},
}

// helpDialog is the list of keyboard shortcuts, opened over a window
// (F1, ?, Help > Keyboard Shortcuts); one at a time.
type helpDialog struct {
	win  fyne.Window
	open dialog.Dialog // while it is open
}

// show opens the list over the window, unless it is open already.
func (h *helpDialog) show() {
	if h.open != nil {
		return
	}
	grid := container.NewGridWithColumns(2)
	for _, s := range shortcuts {
		keys := widget.NewLabelWithStyle(s.keys, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		grid.Add(keys)
		what := widget.NewLabel(s.what)
		what.Wrapping = fyne.TextWrapWord
		grid.Add(what)
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), h.win)
	d.SetOnClosed(func() { h.open = nil })
	d.Resize(fyne.NewSize(760, 560))
	h.open = d
	d.Show()
}

// typedOverGraph is what a rune typed over a graph does: it starts a
// search with r, except for ?, which opens the help (no function name
// starts with it).
func typedOverGraph(r rune, help *helpDialog, search *searchBar) {
	if r == '?' {
		help.show()
		return
	}
	search.start(r)
}
