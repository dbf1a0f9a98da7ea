package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
)

// exporter is File > Export: the view shown written through output.Write
// in the format asked for, the flame graph drawn as the window draws it
// (its zoom, search highlight, theme and colouring) at the size asked for.
type exporter struct {
	graph   *FlameGraph
	current func() viewed
	files   fileDialogs
	// form is the dialog last shown, for tests.
	form *exportForm
}

// exportSize is the size of an exported picture: Width and Height in
// pixels (Height 0 fits every row), Scale the pixels per unit of a PNG.
type exportSize struct {
	Width, Height int
	Scale         float64
}

// exportChoices are what File > Export offers, by output format: a
// picture, the interactive page, or the view as a pprof profile.
var exportChoices = []struct{ format, label, ext string }{
	{"svg", "Picture (SVG)", ".svg"},
	{"png", "Picture (PNG)", ".png"},
	{"html", "Interactive page (HTML)", ".html"},
	{"proto", "pprof profile (.pb.gz)", ".pb.gz"},
}

// exportForm is the Export dialog: what to write and, for a picture, its
// size and scale; Save… then asks where.
type exportForm struct {
	dialog        *dialog.FormDialog
	what          *widget.Select
	width, height *widget.Entry
	scale         *widget.Select
}

// showDialog asks what to export and at what size, then where.
func (ex *exporter) showDialog() {
	if ex.graph.Tree() == nil {
		return
	}
	base := "flamegraph"
	if info := ex.current().open.info; info != nil && info.Source != assets.SampleName {
		base = strings.TrimSuffix(filepath.Base(info.Source), filepath.Ext(info.Source))
	}
	f := &exportForm{width: widget.NewEntry(), height: widget.NewEntry()}
	var labels []string
	for _, c := range exportChoices {
		labels = append(labels, c.label)
	}
	f.scale = widget.NewSelect([]string{"1×", "2× (HiDPI)", "3×"}, nil)
	f.scale.SetSelectedIndex(0)
	f.what = widget.NewSelect(labels, func(string) {
		format := exportChoices[f.what.SelectedIndex()].format
		picture := format == "svg" || format == "png"
		for _, e := range []fyne.Disableable{f.width, f.height, f.scale} {
			if picture && (e != f.scale || format == "png") {
				e.Enable()
			} else {
				e.Disable()
			}
		}
	})
	f.width.SetText(strconv.Itoa(ex.defaultSize().Width))
	f.height.SetPlaceHolder("fit every row")
	f.what.SetSelectedIndex(0)
	items := []*widget.FormItem{
		widget.NewFormItem("Export", f.what),
		widget.NewFormItem("Width (px)", f.width),
		widget.NewFormItem("Height (px)", f.height),
		widget.NewFormItem("Scale (PNG)", f.scale),
	}
	f.dialog = dialog.NewForm("Export the view", "Save…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		size, err := f.size()
		if err != nil {
			ex.files.say.fail(err)
			return
		}
		c := exportChoices[f.what.SelectedIndex()]
		ex.files.pickSaveFile(base+c.ext, func(wc fyne.URIWriteCloser) error {
			return ex.exportTo(wc, wc.URI().Path(), c.format, size)
		}, "Exported ")
	}, ex.files.win)
	ex.form = f
	f.dialog.Show()
}

// size reads the picture's size from the form: a width of 16 to 100000
// pixels, a height of 0 (fit) to render.MaxExportHeight.
func (f *exportForm) size() (exportSize, error) {
	s := exportSize{Scale: float64(f.scale.SelectedIndex() + 1)}
	var err error
	if s.Width, err = strconv.Atoi(strings.TrimSpace(f.width.Text)); err != nil || s.Width < 16 || s.Width > 100_000 {
		return s, fmt.Errorf("export: the width %q is not a number of pixels from 16 to 100000", f.width.Text)
	}
	if h := strings.TrimSpace(f.height.Text); h != "" {
		if s.Height, err = strconv.Atoi(h); err != nil || s.Height < 0 || s.Height > render.MaxExportHeight {
			return s, fmt.Errorf("export: the height %q is not a number of pixels up to %d (or empty, to fit every row)", f.height.Text, render.MaxExportHeight)
		}
	}
	return s, nil
}

// defaultSize is a picture's size unless asked otherwise: the graph's
// width on screen, at least 1200 pixels, every row.
func (ex *exporter) defaultSize() exportSize {
	return exportSize{Width: max(1200, int(ex.graph.Size().Width)), Scale: 1}
}

// exportFormats are the formats File > Export writes, by the file name's
// extension.
var exportFormats = []string{"svg", "png", "html", "proto"}

// exportTo writes the graph's current view to wc in the format path's
// extension asks for (output.ForPath), else in format, pictures at size:
// what the commands write for the same view, drawn as the window draws it.
func (ex *exporter) exportTo(wc io.Writer, path, format string, size exportSize) error {
	f, ok := output.ForPath(path, exportFormats...)
	if !ok {
		var err error
		if f, err = output.Lookup(format); err != nil {
			f, _ = output.Lookup("svg")
		}
	}
	v, pic := ex.current(), ex.picture()
	opt := output.Options{Picture: pic, Shown: &v.view, Info: v.open.info, Width: size.Width, Height: size.Height, Scale: size.Scale}
	if err := output.Write(wc, f, v.open.loaded, v.spec, opt); err != nil {
		return fmt.Errorf("exporting %s: %w", path, err)
	}
	return nil
}

// picture is the current view of the flame graph as an exportable picture.
func (ex *exporter) picture() *render.Picture {
	v := ex.graph.View().View // from the root row: ScrollY 0
	size := ex.defaultSize()
	return &render.Picture{
		Tree:      ex.graph.Tree(),
		View:      v,
		Width:     size.Width,
		Theme:     ex.graph.theme,
		Highlight: ex.graph.highlight,
		Diff:      ex.graph.diff,
	}
}
