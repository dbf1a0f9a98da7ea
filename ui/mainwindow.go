// Package ui is flamelens's window: Fyne widgets over the model and the
// renderer. It is the only package that imports fyne; it does not import
// fyne's app package, so it is tested headless with fyne.io/fyne/v2/test.
package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/model"
)

// Options are what the command line passes to the window.
type Options struct {
	// Source is the path to open; "" opens the embedded sample profile.
	Source string
	// SampleIndex selects the sample type as -sample_index does; "" for the default.
	SampleIndex string
}

// MainWindow is one flamelens window showing one profile.
type MainWindow struct {
	app fyne.App
	win fyne.Window

	header     *widget.Label
	typeSelect *widget.Select
	progress   *widget.ProgressBarInfinite
	status     *widget.Label
	table      *TopTable

	mu       sync.Mutex // guards gen; the rest is touched on the UI goroutine only
	gen      uint64     // bumped by each load; results of older loads are dropped
	inflight sync.WaitGroup

	profile *model.Profile
	tree    *model.Tree
}

// NewMainWindow creates the window and starts loading opts.Source in the
// background. Call ShowAndRun (or Show) on Window() to display it.
func NewMainWindow(a fyne.App, opts Options) *MainWindow {
	w := &MainWindow{app: a, win: a.NewWindow("flamelens")}
	w.header = widget.NewLabel("")
	w.header.Wrapping = fyne.TextWrapWord
	w.typeSelect = widget.NewSelect(nil, w.selectSampleType)
	w.typeSelect.PlaceHolder = "sample type"
	w.progress = widget.NewProgressBarInfinite()
	w.progress.Hide()
	w.status = widget.NewLabel("")
	w.table = NewTopTable()

	top := container.NewBorder(nil, nil, nil, w.typeSelect, w.header)
	bottom := container.NewBorder(nil, nil, nil, nil, container.NewStack(w.status, w.progress))
	w.win.SetContent(container.NewBorder(top, bottom, nil, nil, w.table))
	w.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File",
		fyne.NewMenuItem("Open…", w.showOpenDialog),
	)))
	w.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { w.showOpenDialog() })
	w.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if len(uris) > 0 {
			w.Open(uris[0].Path(), "")
		}
	})
	w.win.Resize(fyne.NewSize(1200, 800))

	w.Open(opts.Source, opts.SampleIndex)
	return w
}

// Window is the Fyne window, for Show/ShowAndRun.
func (w *MainWindow) Window() fyne.Window { return w.win }

// Open loads path ("" for the embedded sample) in the background. The
// profile already shown stays until the new one has loaded; on failure an
// error dialog says why and the old profile is kept.
func (w *MainWindow) Open(path, sampleIndex string) {
	w.mu.Lock()
	w.gen++
	gen := w.gen
	w.mu.Unlock()

	name := path
	if path == "" {
		name = assets.SampleName
	}
	w.status.SetText("Loading " + name + "…")
	w.progress.Show()
	w.progress.Start()

	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		start := time.Now()
		p, t, err := load(path, sampleIndex)
		fyne.Do(func() {
			if !w.current(gen) {
				return
			}
			w.progress.Stop()
			w.progress.Hide()
			if err != nil {
				w.status.SetText("")
				dialog.ShowError(err, w.win)
				return
			}
			w.show(p, t)
			w.status.SetText(fmt.Sprintf("Loaded in %s", time.Since(start).Round(time.Millisecond)))
		})
	}()
}

func (w *MainWindow) current(gen uint64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return gen == w.gen
}

// wait blocks until every load started so far has delivered its result.
func (w *MainWindow) wait() { w.inflight.Wait() }

func load(path, sampleIndex string) (*model.Profile, *model.Tree, error) {
	var p *model.Profile
	var err error
	if path == "" {
		p, err = model.Parse(assets.SampleName, assets.SampleProfile)
	} else {
		p, err = model.Load(path)
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := p.Tree(sampleIndex)
	if err != nil {
		return nil, nil, err
	}
	return p, t, nil
}

// show displays a loaded profile; it runs on the UI goroutine.
func (w *MainWindow) show(p *model.Profile, t *model.Tree) {
	w.profile, w.tree = p, t
	w.win.SetTitle("flamelens — " + p.Source)
	var names []string
	for _, st := range p.SampleTypes() {
		names = append(names, st.Name)
	}
	w.typeSelect.OnChanged = nil // setting the selection must not reload
	w.typeSelect.SetOptions(names)
	w.typeSelect.SetSelectedIndex(t.SampleIndex)
	w.typeSelect.OnChanged = w.selectSampleType
	w.header.SetText(headerText(model.HeaderOf(p, t)))
	w.table.SetTree(t)
}

// selectSampleType rebuilds the tree for another sample type of the open profile.
func (w *MainWindow) selectSampleType(name string) {
	p := w.profile
	if p == nil {
		return
	}
	idx, err := p.SampleIndex(name)
	if err != nil || (w.tree != nil && idx == w.tree.SampleIndex) {
		return
	}
	w.mu.Lock()
	w.gen++
	gen := w.gen
	w.mu.Unlock()
	w.inflight.Add(1)
	go func() {
		defer w.inflight.Done()
		t, err := model.BuildTree(p, idx)
		fyne.Do(func() {
			if !w.current(gen) {
				return
			}
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.show(p, t)
		})
	}()
}

func (w *MainWindow) showOpenDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, w.win)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.Open(path, "")
	}, w.win)
	if w.profile != nil && !strings.HasPrefix(w.profile.Source, "sample:") {
		if dir, err := storage.Parent(storage.NewFileURI(w.profile.Source)); err == nil {
			if l, err := storage.ListerForURI(dir); err == nil {
				d.SetLocation(l)
			}
		}
	}
	d.Show()
}

// headerText is the header pprof prints above its reports.
func headerText(h model.Header) string {
	parts := []string{"File: " + h.File, "Type: " + h.SampleType.Name}
	if !h.Time.IsZero() {
		parts = append(parts, "Time: "+h.Time.Format("2006-01-02 15:04:05 MST"))
	}
	if h.Duration > 0 {
		parts = append(parts, "Duration: "+h.Duration.Round(10*time.Millisecond).String())
	}
	parts = append(parts, "Total: "+model.FormatValue(h.Total, h.SampleType.Unit))
	return strings.Join(parts, "   ")
}
