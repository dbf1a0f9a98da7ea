package ui

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/fetch"
)

// liveHistory is how many captures a live session keeps; older ones are
// dropped (their saved copies stay on disk), so memory stays bounded
// however long the session runs.
const liveHistory = 12

// capture is one profile taken by a live session.
type capture struct {
	at      time.Time
	profile *model.Profile
}

// liveSession captures the same URL again and again.
type liveSession struct {
	url      string
	every    time.Duration
	stop     context.CancelFunc
	captures []capture // oldest first, at most liveHistory
	shown    int       // index of the capture shown, -1 for none
	lastErr  string
}

// liveBar shows a live session: its captures on a strip, the one shown,
// and buttons to compare with the previous one and to stop.
type liveBar struct {
	label   *widget.Label
	strip   *fyne.Container
	compare *widget.Button
	stop    *widget.Button
	box     *fyne.Container
}

func (w *MainWindow) newLiveBar() *liveBar {
	lb := &liveBar{label: widget.NewLabel(""), strip: container.NewHBox()}
	lb.compare = widget.NewButton("Compare with previous", w.compareWithPrevious)
	lb.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), w.StopLive)
	lb.box = container.NewBorder(nil, nil, lb.label, container.NewHBox(lb.compare, lb.stop),
		container.NewHScroll(lb.strip))
	lb.box.Hide()
	return lb
}

// StartLive captures url every interval (a CPU profile's capture is part
// of it), each capture added to the strip and the newest shown. A capture
// that fails is reported on the bar and the session goes on.
func (w *MainWindow) StartLive(rawURL string, seconds int, every time.Duration) {
	w.StopLive()
	opt := w.fetch
	opt.Seconds = seconds
	r, err := fetch.ResolveURL(rawURL, opt)
	if err != nil {
		w.status.SetText(err.Error())
		return
	}
	every = max(every, r.Capture)
	ctx, stop := context.WithCancel(w.work.ctx) // Stop, a new session or closing the window ends it
	ls := &liveSession{url: r.URL, every: every, stop: stop, shown: -1}
	w.live = ls
	w.liveBar.label.SetText(fmt.Sprintf("Live: %s every %s", r.URL, every))
	w.liveBar.box.Show()
	w.updateStrip()
	addRecentURL(w.app, rawURL)

	w.work.run(laneNone, func(context.Context) func() { // one capture at a time, one per tick
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			p, err := fetch.Profile(ctx, rawURL, opt)
			if ctx.Err() != nil {
				return nil
			}
			w.work.post(func() { w.addCapture(ls, p, err) })
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
}

// StopLive ends the live session; its captures stay on the strip.
func (w *MainWindow) StopLive() {
	if w.live == nil || w.live.stop == nil {
		return
	}
	w.live.stop()
	w.live.stop = nil
	w.liveBar.label.SetText("Stopped: " + w.live.url)
	w.liveBar.stop.Disable()
}

// addCapture keeps a new capture (dropping the oldest past liveHistory)
// and shows it, unless the user is looking at another one.
func (w *MainWindow) addCapture(ls *liveSession, p *model.Profile, err error) {
	if w.live != ls {
		return // a newer session replaced this one
	}
	if err != nil {
		ls.lastErr = err.Error()
		w.liveBar.label.SetText("Live capture failed: " + ls.lastErr)
		return
	}
	following := ls.shown < 0 || ls.shown == len(ls.captures)-1
	ls.captures = append(ls.captures, capture{at: p.Fetched, profile: p})
	if over := len(ls.captures) - liveHistory; over > 0 {
		clear(ls.captures[:over]) // release the profiles
		ls.captures = ls.captures[over:]
		ls.shown -= over
	}
	if p.Saved != "" {
		addRecent(w.app, p.Saved)
	}
	if following {
		w.showCapture(len(ls.captures) - 1)
	} else {
		w.updateStrip()
	}
}

// showCapture shows the i-th capture of the session.
func (w *MainWindow) showCapture(i int) {
	ls := w.live
	if ls == nil || i < 0 || i >= len(ls.captures) {
		return
	}
	ls.shown = i
	w.updateStrip()
	p := ls.captures[i].profile
	w.load(source{Source: session.Source{Path: ls.url}, loaded: p}, w.sampleNameIn(p), w.stepsToKeep())
}

// compareWithPrevious compares the capture shown with the one before it:
// for cumulative profiles (allocs, mutex, block, and a heap profile's
// alloc_ values) the difference between the two is what happened in
// between, so BASE is subtracted as pprof's -base does; otherwise the two
// are compared as -diff_base does.
func (w *MainWindow) compareWithPrevious() {
	ls := w.live
	if ls == nil || ls.shown < 1 {
		w.status.SetText("Compare with previous needs two captures")
		return
	}
	prev, cur := ls.captures[ls.shown-1], ls.captures[ls.shown]
	mode := model.DiffBase
	if cumulative(ls.url, w.sampleName()) {
		mode = model.SubtractBase
	}
	src := source{Source: session.Comparing(ls.url, ls.url, mode, false, w.fetch), loaded: cur.profile, loadedBase: prev.profile}
	w.load(src, w.sampleNameIn(cur.profile), w.stepsToKeep())
}

// sampleName is the chosen sample type's name, kept across captures.
func (w *MainWindow) sampleName() string {
	if w.view.Main == nil {
		return ""
	}
	return w.view.Main.SampleType.Name
}

// sampleNameIn is the chosen sample type if p has it, else "" (p's default).
func (w *MainWindow) sampleNameIn(p *model.Profile) string {
	name := w.sampleName()
	for _, st := range p.SampleTypes() {
		if st.Name == name {
			return name
		}
	}
	return ""
}

// cumulative reports whether a profile URL's values only grow over a
// process's life, so that two captures differ by what happened between.
func cumulative(rawURL, sampleType string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	switch path.Base(u.Path) {
	case "allocs", "mutex", "block":
		return true
	case "heap":
		return strings.HasPrefix(sampleType, "alloc_")
	}
	return false
}

// updateStrip shows one button per capture, by time; the one shown is
// highlighted.
func (w *MainWindow) updateStrip() {
	ls := w.live
	lb := w.liveBar
	lb.strip.Objects = nil
	if ls == nil {
		lb.strip.Refresh()
		return
	}
	for i, c := range ls.captures {
		b := widget.NewButton(c.at.Format("15:04:05"), func() { w.showCapture(i) })
		if i == ls.shown {
			b.Importance = widget.HighImportance
		}
		lb.strip.Objects = append(lb.strip.Objects, b)
	}
	lb.strip.Refresh()
	if ls.shown >= 1 {
		lb.compare.Enable()
	} else {
		lb.compare.Disable()
	}
}
