package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/flamelens/flamelens/assets"
	"github.com/flamelens/flamelens/output"
	"github.com/flamelens/flamelens/render"
)

// exporter is File > Export: the view shown written through output.Write
// in the format the file name asks for, the flame graph drawn as the
// window draws it (its zoom, search highlight, theme and colouring).
type exporter struct {
	graph   *FlameGraph
	current func() viewed
	files   fileDialogs
}

// showDialog saves the current view of the flame graph as PNG or SVG,
// chosen by the file name's extension.
func (ex *exporter) showDialog() {
	if ex.graph.Tree() == nil {
		return
	}
	base := "flamegraph"
	if info := ex.current().open.info; info != nil && info.Source != assets.SampleName {
		base = strings.TrimSuffix(filepath.Base(info.Source), filepath.Ext(info.Source))
	}
	// .png for a PNG, .html for an interactive page, .pb.gz for the view
	// as a pprof profile.
	ex.files.pickSaveFile(base+".svg", func(wc fyne.URIWriteCloser) error { return ex.exportTo(wc, wc.URI().Path()) }, "Exported ")
}

// exportFormats are the formats File > Export writes, by the file name's
// extension: SVG when it has none of theirs.
var exportFormats = []string{"svg", "png", "html", "proto"}

// exportTo writes the graph's current view to wc in the format path's
// extension asks for (output.ForPath): what the commands write for the
// same view, drawn as the window draws it.
func (ex *exporter) exportTo(wc io.Writer, path string) error {
	f, ok := output.ForPath(path, exportFormats...)
	if !ok {
		f, _ = output.Lookup("svg")
	}
	v, pic := ex.current(), ex.picture()
	opt := output.Options{Picture: pic, Shown: &v.view, Info: v.open.info, Width: pic.Width}
	if err := output.Write(wc, f, v.open.loaded, v.spec, opt); err != nil {
		return fmt.Errorf("exporting %s: %w", path, err)
	}
	return nil
}

// picture is the current view of the flame graph as an exportable picture.
func (ex *exporter) picture() *render.Picture {
	v := ex.graph.View().View // from the root row: ScrollY 0
	width := int(ex.graph.Size().Width)
	if width < 400 {
		width = 1200
	}
	return &render.Picture{
		Tree:      ex.graph.Tree(),
		View:      v,
		Width:     width,
		Theme:     ex.graph.theme,
		Highlight: ex.graph.highlight,
		Diff:      ex.graph.diff,
	}
}
