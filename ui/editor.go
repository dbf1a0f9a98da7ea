package ui

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Settings of the source view, in Fyne's preferences.
const (
	editorKey         = "editorCommand" // the command that opens file:line
	sourcePathKeyPart = "sourcePath:"   // + a profile's location: folders its sources were found in
	programKeyPart    = "program:"      // + a profile's location: the program it sampled, picked
)

// defaultEditorCommand opens a file at a line in the user's editor:
// $VISUAL or $EDITOR with +LINE (understood by vi, emacs, nano, code -g
// aside), else the desktop's default application for the file.
func defaultEditorCommand() string {
	for _, env := range []string{"VISUAL", "EDITOR"} {
		if e := strings.TrimSpace(os.Getenv(env)); e != "" {
			return e + " +{line} {file}"
		}
	}
	return "xdg-open {file}"
}

// editorArgs is the command template with {file} and {line} filled in,
// split into words (the template's words, so a path with spaces stays
// one argument).
func editorArgs(template, file string, line int64) []string {
	var args []string
	for _, word := range strings.Fields(template) {
		word = strings.ReplaceAll(word, "{line}", strconv.FormatInt(max(line, 1), 10))
		args = append(args, strings.ReplaceAll(word, "{file}", file))
	}
	return args
}

// editor opens source files in the user's editor, with the command they
// set (View > Editor Command…).
type editor struct {
	prefs fyne.Preferences
	win   fyne.Window
	say   report
}

// open runs the editor command the user set (or the default) on file at
// line, without waiting for it.
func (ed editor) open(file string, line int64) {
	template := ed.prefs.StringWithFallback(editorKey, defaultEditorCommand())
	args := editorArgs(template, file, line)
	if len(args) == 0 {
		ed.say.say("No editor command: set one with View > Editor Command…")
		return
	}
	cmd := exec.Command(args[0], args[1:]...)
	if err := cmd.Start(); err != nil {
		ed.say.fail(fmt.Errorf("opening %s:%d with %q: %w (change the command with View > Editor Command…)", file, line, template, err))
		return
	}
	go cmd.Wait() //nolint:errcheck // the editor runs on its own; only its zombie is reaped
	ed.say.say(fmt.Sprintf("Opened %s:%d with %s", file, line, args[0]))
}

// showDialog lets the user set the editor command.
func (ed editor) showDialog() {
	entry := widget.NewEntry()
	entry.SetText(ed.prefs.StringWithFallback(editorKey, defaultEditorCommand()))
	form := []*widget.FormItem{widget.NewFormItem("Command", entry)}
	d := dialog.NewForm("Editor command", "Save", "Cancel", form, func(ok bool) {
		if ok {
			ed.prefs.SetString(editorKey, strings.TrimSpace(entry.Text))
		}
	}, ed.win)
	d.Resize(fyne.NewSize(520, 180))
	entry.SetPlaceHolder("code -g {file}:{line}")
	d.Show()
}
