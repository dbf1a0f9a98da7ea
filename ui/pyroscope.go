package ui

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session/fetch"
)

// rangePresets are the picker's and the bar's ranges before now.
var rangePresets = []struct{ label, from string }{
	{"Last 15 minutes", "-15m"}, {"Last hour", "-1h"}, {"Last 24 hours", "-24h"}, {"Last 7 days", "-7d"},
}

// presetOf is the preset label of a range, "" when it is none of them.
func presetOf(q fetch.PyroscopeQuery) string {
	from := q.From
	if from == "" {
		from = "-1h"
	}
	for _, p := range rangePresets {
		if p.from == from && (q.To == "" || q.To == "now") {
			return p.label
		}
	}
	return ""
}

// chartHeight is the range chart's height in Fyne units.
const chartHeight = 48

// rangeChart draws a Pyroscope query's total over time, and picks a range
// by dragging across it: a plain drag the range shown, Shift+drag a BASE
// range to compare it with.
type rangeChart struct {
	widget.BaseWidget
	raster    *canvas.Raster
	series    render.Series
	theme     render.Theme
	modifiers func() fyne.KeyModifier
	// onPick hears a range dragged out; base when Shift was held.
	onPick func(r fetch.Range, base bool)

	dragging       bool
	dragBase       bool
	dragX0, dragX1 float32

	painter     *render.Painter
	painterSize float64
}

var _ fyne.Draggable = (*rangeChart)(nil)

func newRangeChart(modifiers func() fyne.KeyModifier) *rangeChart {
	c := &rangeChart{theme: currentTheme(), modifiers: modifiers}
	c.raster = canvas.NewRaster(c.draw)
	c.ExtendBaseWidget(c)
	return c
}

func (c *rangeChart) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.raster) }

func (c *rangeChart) MinSize() fyne.Size { return fyne.NewSize(200, chartHeight) }

// setSeries shows s.
func (c *rangeChart) setSeries(s render.Series) {
	c.series = s
	c.raster.Refresh()
}

// timeAt is the time under x (Fyne units from the chart's left).
func (c *rangeChart) timeAt(x float32) time.Time {
	return c.series.TimeAt(float64(x), int(c.Size().Width))
}

func (c *rangeChart) Dragged(e *fyne.DragEvent) {
	if !c.dragging {
		c.dragging = true
		c.dragBase = c.modifiers()&fyne.KeyModifierShift != 0
		c.dragX0 = e.Position.X - e.Dragged.DX
	}
	c.dragX1 = e.Position.X
	c.raster.Refresh()
}

func (c *rangeChart) DragEnd() {
	if !c.dragging {
		return
	}
	c.dragging = false
	x0, x1 := min(c.dragX0, c.dragX1), max(c.dragX0, c.dragX1)
	c.raster.Refresh()
	if x1-x0 < 3 || c.onPick == nil || !c.series.From.Before(c.series.To) {
		return // a click, or nothing to pick from
	}
	c.onPick(fetch.Range{From: c.timeAt(x0), To: c.timeAt(x1)}, c.dragBase)
}

func (c *rangeChart) draw(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	scale := 1.0
	if size := c.Size(); size.Width > 0 {
		scale = float64(w) / float64(size.Width)
	}
	if fontSize := 11 * scale; c.painter == nil || c.painterSize != fontSize {
		c.painter, c.painterSize = render.NewPainter(fontSize), fontSize
	}
	s := c.series
	if c.dragging {
		shown, base := render.SpanColors(c.theme.Dark)
		span := render.Span{From: c.timeAt(min(c.dragX0, c.dragX1)), To: c.timeAt(max(c.dragX0, c.dragX1)), Label: "range", Color: shown}
		if c.dragBase {
			span.Label, span.Color = "BASE", base
		}
		s.Spans = append(append([]render.Span(nil), s.Spans...), span)
	}
	c.painter.DrawSeries(img, &s, c.theme)
	return img
}

// pyroscopeBar is shown above the graph while the profile shown is a
// Pyroscope query: the query in words, the range chart, the range
// presets, "Whole range" and "Query…". Dragging on the chart loads that
// range; Shift+dragging loads the comparison of two ranges.
type pyroscopeBar struct {
	work     *async
	auth     fetch.PyroscopeAuth
	defaults fetch.PyroscopeQuery // the command line's -service, -type, …
	// open loads NEW, compared with BASE when base is not "".
	open func(newSource, baseSource string)
	// pick opens the picker at a query.
	pick func(ps fetch.PyroscopeSource)

	axis      fetch.PyroscopeSource // the query whose range is the chart's axis
	axisRange fetch.Range
	typeID    string // axis's type, resolved by the server; "" until it answers
	shown     fetch.PyroscopeSource
	shownAt   fetch.Range
	base      *fetch.Range           // BASE's range when two ranges are compared
	other     *fetch.PyroscopeSource // BASE when two label sets are compared
	gen       int                    // the series asked for last
	picker    *pyroscopePicker       // the picker opened last, if any

	label  *hoverLabel // the query in words and what dragging does
	title  string      // the query in words
	note   string      // the series' state: being asked for, or why there is none
	chart  *rangeChart
	preset *widget.Select
	whole  *widget.Button
	query  *widget.Button
	box    *fyne.Container
}

func newPyroscopeBar(work *async, tips *tipLayer, opt fetch.Options, modifiers func() fyne.KeyModifier) *pyroscopeBar {
	b := &pyroscopeBar{work: work, auth: opt.PyroscopeAuth, defaults: opt.Pyroscope}
	if b.auth == (fetch.PyroscopeAuth{}) {
		b.auth = fetch.PyroscopeAuthFromEnv()
	}
	b.label = newHoverLabel("", tips)
	b.chart = newRangeChart(modifiers)
	b.chart.onPick = b.picked
	var labels []string
	for _, p := range rangePresets {
		labels = append(labels, p.label)
	}
	b.preset = widget.NewSelect(labels, b.presetChosen)
	b.preset.PlaceHolder = "Custom range"
	b.whole = widget.NewButtonWithIcon("Whole range", theme.ZoomFitIcon(), b.showWhole)
	b.query = widget.NewButtonWithIcon("Query…", theme.SearchIcon(), func() { b.pick(b.shown) })
	right := container.NewHBox(b.preset, b.whole, b.query)
	// Over the flame graph, beside the side pane: the window is no
	// taller for it.
	b.box = container.NewBorder(container.NewBorder(nil, nil, nil, right, b.label), nil, nil, nil, b.chart)
	b.box.Hide()
	return b
}

// sameSeries reports whether a and b ask for the same profiles, whatever
// their ranges.
func sameSeries(a, b fetch.PyroscopeSource) bool {
	return a.Server == b.Server && a.Query.Service == b.Query.Service && a.Query.Type == b.Query.Type && a.Query.Labels == b.Query.Labels
}

// follow shows the bar for what was loaded: NEW's source and BASE's ("" when
// not a comparison). A query of other profiles, or of a range outside the
// chart or before now, draws its own series; a range within the chart
// (one dragged out) keeps it.
func (b *pyroscopeBar) follow(newSource, baseSource string) {
	ps, err := fetch.ParsePyroscope(newSource, b.defaults)
	var rng fetch.Range
	if err == nil {
		rng, err = ps.Query.ResolveRange(time.Now())
	}
	if !fetch.IsPyroscope(newSource) || err != nil {
		b.box.Hide()
		b.axis = fetch.PyroscopeSource{}
		return
	}
	within := !rng.From.Before(b.axisRange.From.Add(-time.Second)) && !rng.To.After(b.axisRange.To.Add(time.Second))
	if b.axis.Server == "" || !sameSeries(b.axis, ps) || fromNow(ps.Query) || !within {
		b.axis, b.axisRange, b.typeID = ps, rng, ""
		b.loadSeries()
	}
	b.shown, b.shownAt, b.base, b.other = ps, rng, nil, nil
	if bs, err := fetch.ParsePyroscope(baseSource, b.defaults); err == nil && fetch.IsPyroscope(baseSource) {
		r, err := bs.Query.ResolveRange(time.Now())
		switch {
		case err != nil:
		case sameSeries(bs, ps):
			b.base = &r
		case bs.Query.From == ps.Query.From && bs.Query.To == ps.Query.To:
			b.other = &bs
		}
	}
	b.title = describeQuery(ps, baseSource, b.defaults)
	b.label.tip = func() string {
		if baseSource != "" {
			return "NEW " + newSource + "\nBASE " + baseSource
		}
		return newSource
	}
	b.preset.OnChanged = nil // showing the range must not load it
	if p := presetOf(b.axis.Query); p != "" {
		b.preset.SetSelected(p)
	} else {
		b.preset.ClearSelected()
	}
	b.preset.OnChanged = b.presetChosen
	b.updateChart()
	b.box.Show()
}

// fromNow reports whether q's range is counted back from now.
func fromNow(q fetch.PyroscopeQuery) bool {
	isRel := func(s string) bool { return s == "" || s == "now" || s[0] == '-' }
	return isRel(q.From) || isRel(q.To)
}

// loadSeries asks the server for the axis query's series in the background.
func (b *pyroscopeBar) loadSeries() {
	b.gen++
	gen, axis, rng := b.gen, b.axis, b.axisRange
	step := max(rng.To.Sub(rng.From)/150, 10*time.Second).Round(time.Second)
	b.note = "asking the server for the series…"
	b.chart.series = render.Series{From: rng.From, To: rng.To}
	b.work.run(laneNone, func(ctx context.Context) func() {
		c := fetch.NewPyroscope(axis.Server, b.auth)
		typeID, err := c.ResolveType(ctx, axis.Query, rng)
		var points []fetch.Point
		if err == nil {
			points, err = c.Series(ctx, axis.Query, typeID, rng, step)
		}
		return func() {
			if gen != b.gen {
				return // a newer query's series was asked for
			}
			s := render.Series{From: rng.From, To: rng.To, Step: step, Unit: typeIDPart(typeID, 2)}
			for _, p := range points {
				s.Points = append(s.Points, render.Point{Time: p.Time, Value: p.Value})
			}
			b.typeID, b.chart.series, b.note = typeID, s, ""
			if err != nil {
				b.note = "no series: " + err.Error()
			}
			b.updateChart()
		}
	})
}

// typeIDPart is part i of a profile type ID, NAME:SAMPLE:UNIT:PERIOD:UNIT
// ("process_cpu:cpu:nanoseconds:cpu:nanoseconds"): 1 the sample type, 2
// its unit; "" when id is not one.
func typeIDPart(id string, i int) string {
	if parts := strings.Split(id, ":"); len(parts) == 5 {
		return parts[i]
	}
	return ""
}

// updateChart marks the ranges shown on the chart, and says what dragging does.
func (b *pyroscopeBar) updateChart() {
	s := b.chart.series
	s.Spans = nil
	shownColor, baseColor := render.SpanColors(b.chart.theme.Dark)
	whole := b.shownAt.From.Sub(b.axisRange.From).Abs() < time.Second && b.shownAt.To.Sub(b.axisRange.To).Abs() < time.Second
	// The query in words, then what dragging does next.
	drag := "drag across the chart: show a range"
	switch {
	case b.base != nil:
		s.Spans = append(s.Spans, render.Span{From: b.shownAt.From, To: b.shownAt.To, Label: "NEW", Color: shownColor},
			render.Span{From: b.base.From, To: b.base.To, Label: "BASE", Color: baseColor})
		drag = "drag: NEW, Shift+drag: BASE"
	case b.other != nil:
	case !whole:
		s.Spans = append(s.Spans, render.Span{From: b.shownAt.From, To: b.shownAt.To, Label: "shown", Color: shownColor})
		drag = "Shift+drag: a BASE range to compare with"
	}
	b.label.SetText(b.title + " — " + drag)
	s.Hint = b.note // the series being asked for, or why there is none
	if whole && b.base == nil {
		b.whole.Disable()
	} else {
		b.whole.Enable()
	}
	b.chart.setSeries(s)
}

// withRange is the query shown over r, as a source.
func (b *pyroscopeBar) withRange(r fetch.Range) string { return overRange(b.shown, r) }

// overRange is ps over r, as a source.
func overRange(ps fetch.PyroscopeSource, r fetch.Range) string {
	ps.Query.From = r.From.UTC().Truncate(time.Second).Format(time.RFC3339)
	to := r.To.UTC()
	if t := to.Truncate(time.Second); !t.Equal(to) {
		to = t.Add(time.Second)
	}
	ps.Query.To = to.Format(time.RFC3339)
	return ps.String()
}

// picked loads a range dragged on the chart: shown alone (or as NEW
// against the BASE range already picked), or as BASE against what is shown.
func (b *pyroscopeBar) picked(r fetch.Range, base bool) {
	switch {
	case base:
		b.open(b.withRange(b.shownAt), b.withRange(r))
	case b.base != nil:
		b.open(b.withRange(r), b.withRange(*b.base))
	case b.other != nil: // the two label sets over the range
		b.open(b.withRange(r), overRange(*b.other, r))
	default:
		b.open(b.withRange(r), "")
	}
}

// showWhole loads the chart's whole range: alone, or the two label sets
// compared over it.
func (b *pyroscopeBar) showWhole() {
	if b.other != nil {
		b.picked(b.axisRange, false)
		return
	}
	b.open(b.withRange(b.axisRange), "")
}

// presetChosen loads the shown query over one of the presets (the two
// label sets compared, if they were).
func (b *pyroscopeBar) presetChosen(label string) {
	for _, p := range rangePresets {
		if p.label != label {
			continue
		}
		ps := b.shown
		ps.Query.From, ps.Query.To = p.from, "now"
		base := ""
		if b.other != nil {
			o := *b.other
			o.Query.From, o.Query.To = p.from, "now"
			base = o.String()
		}
		b.open(ps.String(), base)
	}
}

// describeQuery is a Pyroscope source in words, for the bar: service,
// type, labels, and what it is compared with.
func describeQuery(ps fetch.PyroscopeSource, baseSource string, defaults fetch.PyroscopeQuery) string {
	q := ps.Query
	typ := q.Type
	if st := typeIDPart(typ, 1); st != "" {
		typ = st // "cpu" for process_cpu:cpu:nanoseconds:cpu:nanoseconds; the ID is in the header
	}
	text := q.Service + ", " + typ
	if q.Labels != "" {
		text += ", " + q.Labels
	}
	if bs, err := fetch.ParsePyroscope(baseSource, defaults); err == nil && fetch.IsPyroscope(baseSource) {
		switch {
		case sameSeries(bs, ps):
			text += " — two ranges compared"
		case bs.Query.Labels != q.Labels:
			text += " — compared with " + or(bs.Query.Labels, "all labels")
		}
	}
	return text
}

// hostOf is a server's host:port.
func hostOf(server string) string {
	for _, prefix := range []string{"http://", "https://"} {
		if rest, ok := strings.CutPrefix(server, prefix); ok {
			return rest
		}
	}
	return server
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// shortName is a source as the comparison bar names it: a file by its
// base name, a Pyroscope query by its range and labels.
func shortName(source string) string {
	ps, err := fetch.ParsePyroscope(source, fetch.PyroscopeQuery{})
	if err != nil || !fetch.IsPyroscope(source) {
		return filepath.Base(source)
	}
	q := ps.Query
	words := ""
	if fromNow(q) {
		words = "last " + strings.TrimPrefix(or(q.From, "-1h"), "-")
	} else if r, err := q.ResolveRange(time.Now()); err == nil {
		layout := "15:04:05"
		if r.To.Sub(r.From) > 24*time.Hour || r.From.Local().YearDay() != time.Now().YearDay() {
			layout = "Jan 2 15:04"
		}
		words = r.From.Local().Format(layout) + "–" + r.To.Local().Format(layout)
	}
	if q.Labels != "" {
		words += " " + q.Labels
	}
	return strings.TrimSpace(words)
}

// pyroscopeName is a Pyroscope query (compared with baseSource, if not
// "") in words, for the status bar: "checkout 10:05:00–10:35:00 and
// 09:00:00–09:30:00 from 127.0.0.1:4040".
func pyroscopeName(source, baseSource string) string {
	ps, err := fetch.ParsePyroscope(source, fetch.PyroscopeQuery{})
	if err != nil {
		return source
	}
	name := strings.TrimSpace(ps.Query.Service + " " + shortName(source))
	if baseSource != "" {
		name += " and " + shortName(baseSource)
	}
	return name + " from " + hostOf(ps.Server)
}
