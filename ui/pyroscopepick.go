package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// pyroscopeServerKey is the preference holding the last Pyroscope server.
const pyroscopeServerKey = "pyroscopeServer"

// customRange is the picker's range choice that reads From and To.
const customRange = "From–to"

// pyroscopePicker is the dialog that picks what to open from a Pyroscope
// server: the service, the profile type, label matchers and the range,
// with the services, types and label names listed by the server.
type pyroscopePicker struct {
	// What the picker works with, given by the window: its async (the
	// server's listings run in laneNone), preferences (the last server),
	// the credentials, the fetch options and what opens a source picked.
	work  *async
	prefs fyne.Preferences
	auth  func() fetch.PyroscopeAuth
	fetch fetch.Options
	open  func(session.Source)

	server   *widget.Entry
	service  *widget.Select
	typ      *widget.Select
	labels   *widget.Entry
	against  *widget.Entry // BASE's label matchers, to compare two label sets
	names    *widget.Label // the service's label names, as a hint
	rng      *widget.Select
	from, to *widget.Entry
	message  *widget.Label // what went wrong, in plain words
	want     fetch.PyroscopeQuery
	dialog   *dialog.CustomDialog
	gen      int // the listing asked for last
}

// showPyroscopePicker opens the picker at ps (what is known of the query).
func (w *MainWindow) showPyroscopePicker(ps fetch.PyroscopeSource) *pyroscopePicker {
	p := &pyroscopePicker{work: w.work, prefs: w.app.Preferences(), auth: func() fetch.PyroscopeAuth { return w.pyro.auth }, fetch: w.opts.Fetch,
		open: func(src session.Source) { w.load(source{Source: src}, "", nil) }, want: ps.Query}
	w.pyro.picker = p
	p.server = widget.NewEntry()
	p.server.SetPlaceHolder("pyroscope://127.0.0.1:4040, or pyroscope+https://host")
	server := ps.String()
	if ps.Server == "" {
		server = w.app.Preferences().StringWithFallback(pyroscopeServerKey, "pyroscope://127.0.0.1:4040")
	} else {
		server, _, _ = strings.Cut(server, "?")
	}
	p.server.SetText(server)
	p.service = widget.NewSelect(nil, func(string) { p.listLabels() })
	p.service.PlaceHolder = "(connect to list the services)"
	p.typ = widget.NewSelect(nil, nil)
	p.typ.PlaceHolder = "(connect to list the profile types)"
	p.labels = widget.NewEntry()
	p.labels.SetPlaceHolder(`version="v2", instance=~"10.0.0.*"`)
	p.labels.SetText(ps.Query.Labels)
	p.against = widget.NewEntry()
	p.against.SetPlaceHolder(`optional: BASE's labels, as version="v1" (NEW is the labels above)`)
	if o := w.pyro.other; o != nil && w.pyro.axis.Server != "" && sameSeries(ps, w.pyro.shown) {
		p.against.SetText(o.Query.Labels) // the label sets compared now
	}
	p.names = widget.NewLabel("")
	p.names.Wrapping = fyne.TextWrapWord
	p.from, p.to = widget.NewEntry(), widget.NewEntry()
	p.from.SetPlaceHolder("2026-11-24 09:00, -2h, or Unix seconds")
	p.to.SetPlaceHolder("now")
	var choices []string
	for _, r := range rangePresets {
		choices = append(choices, r.label)
	}
	p.rng = widget.NewSelect(append(choices, customRange), func(choice string) {
		if choice == customRange {
			p.from.Enable()
			p.to.Enable()
		} else {
			p.from.Disable()
			p.to.Disable()
		}
	})
	if preset := presetOf(ps.Query); preset != "" {
		p.rng.SetSelected(preset)
	} else {
		p.rng.SetSelected(customRange)
		p.from.SetText(ps.Query.From)
		p.to.SetText(ps.Query.To)
	}
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Importance = widget.DangerImportance
	connect := widget.NewButton("Connect", p.list)
	form := widget.NewForm(
		widget.NewFormItem("Server", container.NewBorder(nil, nil, nil, connect, p.server)),
		widget.NewFormItem("Service", p.service),
		widget.NewFormItem("Profile type", p.typ),
		widget.NewFormItem("Labels", p.labels),
		widget.NewFormItem("", p.names),
		widget.NewFormItem("Compare with", p.against),
		widget.NewFormItem("Range", p.rng),
		widget.NewFormItem("From", p.from),
		widget.NewFormItem("To", p.to),
	)
	p.dialog = dialog.NewCustomWithoutButtons("Open from Pyroscope", container.NewVBox(form, p.message), w.win)
	open := widget.NewButton("Open", p.submit)
	open.Importance = widget.HighImportance
	p.dialog.SetButtons([]fyne.CanvasObject{widget.NewButton("Cancel", p.dialog.Hide), open})
	submit := func(string) { p.submit() }
	p.labels.OnSubmitted, p.against.OnSubmitted, p.from.OnSubmitted, p.to.OnSubmitted = submit, submit, submit, submit
	p.server.OnSubmitted = func(string) { p.list() }
	p.dialog.Resize(fyne.NewSize(720, 480))
	p.dialog.Show()
	if ps.Server != "" {
		p.list()
	}
	return p
}

// query is the query the picker's fields give, and its server.
func (p *pyroscopePicker) query() (fetch.PyroscopeSource, error) {
	server := strings.TrimSpace(p.server.Text)
	if server == "" {
		return fetch.PyroscopeSource{}, errors.New("which server? pyroscope://HOST:PORT")
	}
	if !fetch.IsPyroscope(server) {
		// host:port, or http(s)://…: the scheme flamelens reads.
		if rest, ok := strings.CutPrefix(server, "https://"); ok {
			server = "pyroscope+https://" + rest
		} else {
			server = "pyroscope://" + strings.TrimPrefix(server, "http://")
		}
	}
	ps, err := fetch.ParsePyroscope(server, fetch.PyroscopeQuery{})
	if err != nil {
		return ps, err
	}
	ps.Query = fetch.PyroscopeQuery{Service: p.service.Selected, Type: p.typ.Selected, Labels: strings.TrimSpace(p.labels.Text)}
	ps.Query.From, ps.Query.To = strings.TrimSpace(p.from.Text), strings.TrimSpace(p.to.Text)
	for _, r := range rangePresets {
		if r.label == p.rng.Selected {
			ps.Query.From, ps.Query.To = r.from, "now"
		}
	}
	if _, err := ps.Query.ResolveRange(time.Now()); err != nil {
		return ps, err
	}
	return ps, nil
}

// list asks the server for its services and profile types in the range
// chosen, and fills the choices, keeping what was asked for.
func (p *pyroscopePicker) list() {
	ps, err := p.query()
	if err != nil {
		p.message.SetText(err.Error())
		return
	}
	rng, _ := ps.Query.ResolveRange(time.Now())
	p.message.SetText("Asking " + hostOf(ps.Server) + "…")
	p.gen++
	gen := p.gen
	auth := p.auth()
	p.work.run(laneNone, func(ctx context.Context) func() {
		c := fetch.NewPyroscope(ps.Server, auth)
		services, err := c.LabelValues(ctx, "service_name", "", rng)
		var types []string
		if err == nil {
			var pts []string
			list, terr := c.ProfileTypes(ctx, rng)
			for _, t := range list {
				pts = append(pts, t.ID)
			}
			types, err = pts, terr
		}
		return func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				p.message.SetText(err.Error())
				return
			}
			p.message.SetText("")
			if len(services) == 0 {
				p.message.SetText("Pyroscope at " + hostOf(ps.Server) + " has no services with profiles between " + rng.String() + ": try a longer range")
			}
			slices.Sort(types)
			p.service.SetOptions(services)
			p.typ.SetOptions(types)
			if want := or(p.service.Selected, p.want.Service); slices.Contains(services, want) {
				p.service.SetSelected(want)
			} else if len(services) == 1 {
				p.service.SetSelected(services[0])
			}
			p.selectType(types)
		}
	})
}

// selectType picks the type asked for among types: an ID, a sample type
// ("cpu"), else a CPU type, else the first.
func (p *pyroscopePicker) selectType(types []string) {
	want := or(p.typ.Selected, p.want.Type)
	for _, t := range types {
		if t == want || typeIDPart(t, 1) == want {
			p.typ.SetSelected(t)
			return
		}
	}
	for _, t := range types {
		if typeIDPart(t, 1) == "cpu" {
			p.typ.SetSelected(t)
			return
		}
	}
	if len(types) > 0 {
		p.typ.SetSelected(types[0])
	}
}

// listLabels shows the chosen service's label names, as a hint for matchers.
func (p *pyroscopePicker) listLabels() {
	ps, err := p.query()
	if err != nil || ps.Query.Service == "" {
		return
	}
	rng, _ := ps.Query.ResolveRange(time.Now())
	auth := p.auth()
	p.work.run(laneNone, func(ctx context.Context) func() {
		names, err := fetch.NewPyroscope(ps.Server, auth).LabelNames(ctx, ps.Query.Service, rng)
		names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "__") || n == "service_name" })
		return func() {
			switch {
			case err != nil:
				p.names.SetText("")
			case len(names) == 0:
				p.names.SetText(ps.Query.Service + " has no other labels")
			default:
				p.names.SetText("Labels of " + ps.Query.Service + ": " + strings.Join(names, ", "))
			}
		}
	})
}

// submit opens the query picked, or says what is missing.
func (p *pyroscopePicker) submit() {
	ps, err := p.query()
	switch {
	case err != nil:
		p.message.SetText(err.Error())
		return
	case ps.Query.Service == "":
		p.message.SetText("Pick a service (Connect lists them).")
		return
	case ps.Query.Type == "":
		p.message.SetText("Pick a profile type (Connect lists them).")
		return
	}
	p.dialog.Hide()
	server, _, _ := strings.Cut(ps.String(), "?")
	p.prefs.SetString(pyroscopeServerKey, server)
	src := session.Source{Path: ps.String(), Fetch: p.fetch}
	if against := strings.TrimSpace(p.against.Text); against != "" {
		base := ps
		base.Query.Labels = against
		src.DiffBase = base.String()
	}
	p.open(src)
}

// incompleteQuery reports whether desc is one Pyroscope source that does
// not say which service or profile type, with what it does say.
func incompleteQuery(desc session.Source) (fetch.PyroscopeSource, bool) {
	if !fetch.IsPyroscope(desc.Path) || len(desc.More) > 0 || desc.DiffBase != "" || desc.Base != "" {
		return fetch.PyroscopeSource{}, false
	}
	ps, err := fetch.ParsePyroscope(desc.Path, desc.Fetch.Pyroscope)
	return ps, err == nil && (ps.Query.Service == "" || ps.Query.Type == "")
}
