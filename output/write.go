package output

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"regexp"

	"github.com/flamelens/flamelens/disasm/objfile"
	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// Options are what a format needs beyond the view itself.
type Options struct {
	// Graph draws the call graph (-view graph) instead of the flame graph,
	// with GraphOptions (zero: model.DefaultGraphOptions).
	Graph        bool
	GraphOptions model.GraphOptions
	// Width and Height are a picture's size in pixels: Width 0 is
	// DefaultWidth, Height 0 fits every row. Scale multiplies a PNG flame
	// graph's pixels (render.Picture.Scale); 0 is 1.
	Width, Height int
	Scale         float64
	// Shown, if not nil, is the view as already derived (the window's), so
	// that a picture or page need not derive it again.
	Shown *session.View
	// Picture, if not nil, is the flame graph as the window draws it: the
	// tree shown, its zoom, highlight, theme and differential colouring.
	// Write gives it its title and size.
	Picture *render.Picture
	// Modules name the user's code, for insights and reports; none: worked
	// out from the profile.
	Modules []string
	// Info, if not nil, describes the profile while l is still being read
	// in full (the window's), for titles.
	Info *model.Info
	// ImageFile, if not nil, is given a Markdown report's picture (PNG) to
	// keep, and returns the file name the report shows it by at its end;
	// nil: the report has no picture.
	ImageFile func(png []byte) (name string, err error)
	// Runs, for a report of two sets of runs, are their statistics.
	Runs *RunStatistics
	// Top says how many rows top prints, sorted how.
	Top TopOptions
	// Functions are the functions list and disasm print, by a regexp on
	// their names; Sources finds list's source files, Program is disasm's.
	Functions *regexp.Regexp
	Sources   *session.Sources
	Program   Program
}

// Program is a profiled program opened for its machine code
// (session.Programs.Find).
type Program struct {
	File *objfile.File
	model.Program
}

// Table is what the table formats read: a view's stacks — at line
// granularity for list, at addresses for disasm — and what the profile
// says of itself. A command streams it (session.OpenTable); Write takes it
// from the view.
type Table struct {
	Info   *model.Info
	Stacks *model.Stacks
}

// WriteTable writes a table format (top, list, disasm) of t.
func WriteTable(w io.Writer, f *Format, t Table, opt Options) error {
	switch f.Name {
	case "top":
		return WriteTop(w, t.Info, t.Stacks, opt.Top)
	case "list":
		routines, err := listing.Routines(t.Stacks, opt.Functions)
		if err != nil {
			return err
		}
		return WriteList(w, t.Stacks, routines, opt.Sources.Reader())
	case "disasm":
		if opt.Program.File == nil {
			return errors.New("machine code needs the profiled program: give it with -binary")
		}
		routines, err := session.Disassembly(t.Stacks, opt.Program.File, opt.Program.Program, opt.Functions)
		if err != nil {
			return err
		}
		return WriteDisasm(w, t.Stacks.SampleType.Unit, t.Stacks.AbsTotal, routines)
	}
	return fmt.Errorf("%s is not written from a table", f.Name)
}

// DefaultWidth is a picture's width when none is given.
const DefaultWidth = 1200

// Write writes spec's view of l in format f. Every front end writes a
// view through it, so the same view gives the same bytes everywhere.
func Write(w io.Writer, f *Format, l session.Loaded, spec session.Spec, opt Options) error {
	if err := check(f, l, opt); err != nil {
		return err
	}
	switch f.Name {
	case "folded":
		s, err := session.Stacks(l, spec)
		if err != nil {
			return err
		}
		return model.WriteFolded(w, s.Tree())
	case "dot", "svg", "png":
		if opt.Graph || f.Graph == GraphOnly {
			return writeCallGraph(w, f, l, spec, opt)
		}
		pic, err := picture(l, spec, opt)
		if err != nil {
			return err
		}
		if f.Name == "png" {
			return pic.WritePNG(w)
		}
		return pic.WriteSVG(w)
	case "html":
		page, err := flamePage(l, spec, opt)
		if err != nil {
			return err
		}
		return page.WriteHTML(w)
	case "proto":
		p, err := session.Proto(l, RootFirst(spec))
		if err != nil {
			return err
		}
		return p.Write(w) // gzipped, as pprof writes it
	case "top", "list", "disasm":
		spec = RootFirst(spec)
		switch f.Name {
		case "list":
			spec.Granularity = model.Lines // as pprof's -list reads them
		case "disasm":
			spec.Granularity = model.Addresses
		}
		s, err := session.Stacks(l, spec)
		if err != nil {
			return err
		}
		return WriteTable(w, f, Table{Info: l.Info(), Stacks: s}, opt)
	case "traces":
		p, err := session.Samples(l, spec)
		if err != nil {
			return err
		}
		return WriteTraces(w, p, spec.SampleIndex, spec.Granularity)
	case "report", "report-html", "report-json":
		return writeReport(w, f, l, spec, opt)
	case "insights", "insights-json":
		return writeInsights(w, f, l, spec, opt)
	}
	return fmt.Errorf("unknown format %q", f.Name)
}

// check refuses what a format cannot write: a call graph as a page, a
// report of one profile.
func check(f *Format, l session.Loaded, opt Options) error {
	switch {
	case (f.Name == "list" || f.Name == "disasm") && opt.Functions == nil:
		return fmt.Errorf("%s prints the functions asked for: give a regexp of their names", f.Name)
	case f.Name == "list" && opt.Sources == nil:
		return errors.New("list needs where to find the source files")
	case opt.Graph && f.Graph == GraphNo:
		return fmt.Errorf("%s is not a picture of the call graph (the call graph: %v)", f.Name, Names(func(f *Format) bool { return f.Graph != GraphNo }))
	case f.Comparison && l.Comparison() == nil:
		return errors.New("a report compares two profiles: give the one before as -diff_base BEFORE (or -base)")
	case l.IsZero() && !drawnAlready(f, opt):
		return errors.New("the profile is still being read in full: write it out once it is")
	}
	return nil
}

// drawnAlready reports whether f is written from what the window shows
// alone (its picture, its view), with no need of the whole profile.
func drawnAlready(f *Format, opt Options) bool {
	switch {
	case opt.Graph:
		return false
	case f.Name == "svg" || f.Name == "png":
		return opt.Picture != nil
	case f.Name == "html":
		return opt.Shown != nil
	}
	return false
}

// RootFirst is spec as reports, insights, tables and pprof profiles take
// it: root-first. Inversion is how a flame graph is drawn; a function's
// flat and cum, and the stacks pprof reads, do not turn over with it.
func RootFirst(spec session.Spec) session.Spec {
	spec.Inverted = false
	return spec
}

// view is spec's view of l: the one shown, if given.
func view(l session.Loaded, spec session.Spec, opt Options) (session.View, error) {
	if opt.Shown != nil {
		return *opt.Shown, nil
	}
	var views session.Views
	return views.View(l, spec)
}

// picture is the flame graph of spec's view of l to write: the window's
// drawing if given, else the whole graph, a comparison's differential.
func picture(l session.Loaded, spec session.Spec, opt Options) (*render.Picture, error) {
	width := opt.Width
	if width <= 0 {
		width = DefaultWidth
	}
	if p := opt.Picture; p != nil {
		pic := *p
		pic.Width, pic.Height, pic.Scale = width, opt.Height, opt.Scale
		pic.Title = Title(p.Tree, sources(l, opt), p.Diff != nil)
		return &pic, nil
	}
	v, err := view(l, spec, opt)
	if err != nil {
		return nil, err
	}
	pic := &render.Picture{Tree: v.Main, View: render.NewView(0), Width: width, Height: opt.Height, Scale: opt.Scale, Theme: render.LightTheme}
	if v.Comparing() {
		pic.Tree = v.CmpNew
		pic.Diff = DiffStyle(v.CmpNew, render.DiffStyle{})
	}
	pic.Title = Title(pic.Tree, sources(l, opt), pic.Diff != nil)
	return pic, nil
}

// DiffStyle is ds (the colouring chosen) with the noise floor and the
// scale every differential picture has: changes below DefaultNoise grey,
// full colour at t's largest change.
func DiffStyle(t *model.Tree, ds render.DiffStyle) *render.DiffStyle {
	ds.Noise = render.DefaultNoise
	ds.Scale = render.MaxChange(t, &ds)
	return &ds
}

// Sources name what a title is of: the profile, or NEW and BASE.
type Sources struct{ New, Base string }

func sources(l session.Loaded, opt Options) Sources {
	if c := l.Comparison(); c != nil {
		return Sources{New: c.New.Source, Base: c.Base.Source}
	}
	if !l.IsZero() {
		return Sources{New: l.Info().Source}
	}
	if opt.Info != nil {
		return Sources{New: opt.Info.Source}
	}
	return Sources{}
}

// Title heads a picture or page of tree t: the profile, sample type and
// total; a comparison names both profiles, and a differential picture says
// how to read its colours.
func Title(t *model.Tree, src Sources, differential bool) string {
	switch {
	case src.Base != "" && differential:
		return fmt.Sprintf("%s vs %s — %s — red grew, blue shrank", src.New, src.Base, t.SampleType.Name)
	case src.Base != "":
		return fmt.Sprintf("%s vs %s — %s", src.New, src.Base, t.SampleType.Name)
	}
	return fmt.Sprintf("%s — %s — total %s", src.New, t.SampleType.Name, model.FormatValue(t.AbsTotal, t.SampleType.Unit))
}

// flamePage is spec's view of l as an interactive HTML page: its flame
// graph and function table, or a comparison's graphs and diff table.
func flamePage(l session.Loaded, spec session.Spec, opt Options) (*render.Page, error) {
	v, err := view(l, spec, opt)
	if err != nil {
		return nil, err
	}
	page := &render.Page{Title: Title(v.Main, sources(l, opt), false), Tree: v.Main, Rows: v.Table}
	if v.Comparing() {
		page.Tree, page.Deltas = v.CmpNew, v.CmpNew.FunctionDeltas()
	}
	return page, nil
}

// writeCallGraph draws spec's call graph of l as DOT, SVG or PNG.
func writeCallGraph(w io.Writer, f *Format, l session.Loaded, spec session.Spec, opt Options) error {
	gopt := opt.GraphOptions
	if gopt == (model.GraphOptions{}) {
		gopt = model.DefaultGraphOptions
	}
	g, _, err := session.CallGraph(l, spec, gopt)
	if err != nil {
		return err
	}
	if f.Name == "dot" {
		return render.WriteDOT(w, g, l.Info().Source)
	}
	layout, err := render.LayoutGraph(context.Background(), g)
	if err != nil {
		return err
	}
	if f.Name == "png" {
		return png.Encode(w, layout.Image(render.LightTheme))
	}
	return layout.WriteSVG(w, render.LightTheme)
}

// ReportWidth and ReportHeight are the size of a report's differential
// flame graph, in pixels.
const ReportWidth, ReportHeight = 900, 360

// reportImage is report r's differential flame graph as PNG, drawn from
// the comparison r was derived from: inside its HTML page, beside its
// Markdown file.
func reportImage(l session.Loaded, spec session.Spec, r *session.Report) ([]byte, error) {
	pic, err := picture(l, spec, Options{Width: ReportWidth, Height: ReportHeight, Shown: r.View()})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = pic.WritePNG(&buf)
	return buf.Bytes(), err
}

// RunStatistics are two sets of runs compared for a report: by their
// functions' flat values (for its rows) and cum (for its headline).
type RunStatistics struct{ Flat, Cum *session.RunsComparison }

// writeReport sums spec's view of the comparison l up, root-first.
func writeReport(w io.Writer, f *Format, l session.Loaded, spec session.Spec, opt Options) error {
	r, err := session.NewReport(l, RootFirst(spec), opt.Modules)
	if err != nil {
		return err
	}
	if opt.Runs != nil {
		r.AddRuns(opt.Runs.Flat, opt.Runs.Cum)
	}
	switch f.Name {
	case "report-json":
		return writeJSON(w, r)
	case "report-html":
		img, err := reportImage(l, spec, r)
		if err != nil {
			return err
		}
		return writeReportHTML(w, r, img)
	}
	image := ""
	if opt.ImageFile != nil {
		png, err := reportImage(l, spec, r)
		if err != nil {
			return err
		}
		if image, err = opt.ImageFile(png); err != nil {
			return err
		}
	}
	return writeReportMarkdown(w, r, image)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
