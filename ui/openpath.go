package ui

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// openPathLimit is how many entries of a folder the Open Path list shows.
const openPathLimit = 200

// pathEntry is the Open Path field: ↑/↓ move in the list under it, Tab
// completes the row chosen, Enter opens.
type pathEntry struct {
	widget.Entry
	onKey func(ev *fyne.KeyEvent) bool // true when handled
}

func newPathEntry() *pathEntry {
	e := &pathEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab keeps Tab in the field: it completes the path.
func (e *pathEntry) AcceptsTab() bool { return true }

// TypedKey lets the dialog handle navigation keys first.
func (e *pathEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// openPath is File > Open Path…: a profile's path typed, the folder's
// entries that begin with what is typed after its last slash listed under
// it as it is typed (folders first, then profile files, then the rest),
// so one file among many is found by typing a few letters of its name.
type openPath struct {
	entry    *pathEntry
	list     *widget.List
	dialog   *dialog.ConfirmDialog
	rows     []string // the entries listed: names, a folder's with a trailing slash
	selected int      // the row chosen with ↑/↓, -1 for none
	open     func(path string)
	say      report
}

// showOpenPath asks for a profile's path, starting in folder, and hands
// the path of an existing file to open.
func showOpenPath(win fyne.Window, folder string, say report, open func(path string)) *openPath {
	op := &openPath{entry: newPathEntry(), selected: -1, open: open, say: say}
	if folder != "" {
		op.entry.SetText(strings.TrimSuffix(folder, string(filepath.Separator)) + string(filepath.Separator))
	}
	op.entry.SetPlaceHolder("a profile's path: type, Tab completes, ↑/↓ choose")
	op.list = widget.NewList(func() int { return len(op.rows) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(op.rows[i]) })
	op.list.OnSelected = func(i widget.ListItemID) {
		if op.selected == i {
			return // chosen with the arrow keys
		}
		op.selected = i
		op.complete()
		if !strings.HasSuffix(op.rows[i], "/") {
			op.submit()
		}
	}
	op.entry.OnChanged = func(string) { op.update() }
	op.entry.OnSubmitted = func(string) { op.submit() }
	op.entry.onKey = op.key
	op.update()
	list := container.NewGridWrap(fyne.NewSize(620, 300), op.list)
	op.dialog = dialog.NewCustomConfirm("Open a profile by its path", "Open", "Cancel",
		container.NewBorder(op.entry, nil, nil, nil, list), func(ok bool) {
			if ok && !op.submit() {
				op.dialog.Show() // a folder gone into, or no such file: still asking
			}
		}, win)
	op.dialog.Show()
	win.Canvas().Focus(op.entry)
	op.entry.CursorColumn = len([]rune(op.entry.Text))
	return op
}

// split is the folder of what is typed and the start of a name in it.
func (op *openPath) split() (dir, prefix string) {
	text := expandHome(op.entry.Text)
	i := strings.LastIndex(text, string(filepath.Separator))
	if i < 0 {
		return ".", text
	}
	return text[:i+1], text[i+1:]
}

// update lists the folder's entries that begin with the typed name (any
// case): folders first, then profile files, then others, each by name.
func (op *openPath) update() {
	op.rows, op.selected = op.rows[:0], -1
	dir, prefix := op.split()
	entries, err := os.ReadDir(dir)
	if err == nil {
		type row struct {
			name string
			rank int // 0 folders, 1 profiles, 2 others
		}
		var rows []row
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(strings.ToLower(name), strings.ToLower(prefix)) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
				continue
			}
			r := row{name, 2}
			switch {
			case e.IsDir() || isDirLink(filepath.Join(dir, name), e):
				r = row{name + "/", 0}
			case isProfileName(name):
				r.rank = 1
			}
			rows = append(rows, r)
		}
		slices.SortFunc(rows, func(a, b row) int { return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.name, b.name)) })
		for _, r := range rows[:min(len(rows), openPathLimit)] {
			op.rows = append(op.rows, r.name)
		}
	}
	op.list.UnselectAll()
	op.list.Refresh()
}

// isDirLink reports whether e is a symbolic link to a folder.
func isDirLink(path string, e os.DirEntry) bool {
	if e.Type()&os.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// complete puts the row chosen (else the only row, or the rows' longest
// common start) in the field.
func (op *openPath) complete() {
	dir, prefix := op.split()
	name := ""
	switch {
	case op.selected >= 0 && op.selected < len(op.rows):
		name = op.rows[op.selected]
	case len(op.rows) > 0:
		name = op.rows[0]
		for _, r := range op.rows[1:] {
			for !strings.HasPrefix(strings.ToLower(r), strings.ToLower(name)) {
				_, size := utf8.DecodeLastRuneInString(name)
				name = name[:len(name)-size]
			}
		}
		if len(name) < len(prefix) {
			return
		}
	default:
		return
	}
	if dir == "." && !strings.HasPrefix(op.entry.Text, ".") {
		dir = ""
	}
	op.entry.SetText(dir + name)
	op.entry.CursorColumn = len([]rune(op.entry.Text))
	op.entry.Refresh()
}

// key: ↑/↓ choose a row, Tab completes.
func (op *openPath) key(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if len(op.rows) == 0 {
			return true
		}
		op.selected = stepRow(op.selected, len(op.rows), ev.Name == fyne.KeyDown)
		op.list.Select(op.selected)
		op.list.ScrollTo(op.selected)
		return true
	case fyne.KeyTab:
		op.complete()
		return true
	}
	return false
}

// submit opens the path typed: a file is opened and the dialog closed; a
// folder is gone into; a row chosen with ↑/↓ is completed first. It
// reports whether a file was opened.
func (op *openPath) submit() bool {
	if op.selected >= 0 {
		op.complete()
		op.selected = -1
	}
	path := expandHome(strings.TrimSpace(op.entry.Text))
	st, err := os.Stat(path)
	switch {
	case err != nil:
		op.say.say("Open Path: " + path + ": no such file")
		return false
	case st.IsDir():
		if !strings.HasSuffix(op.entry.Text, string(filepath.Separator)) {
			op.entry.SetText(op.entry.Text + string(filepath.Separator))
		}
		return false
	}
	op.dialog.Hide()
	op.open(path)
	return true
}

// expandHome turns a leading ~/ into the home folder.
func expandHome(path string) string {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return path
}
