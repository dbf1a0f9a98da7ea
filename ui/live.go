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
	// comparing is set while the capture shown is compared with the one
	// before it: new captures go on the strip without replacing it.
	comparing bool
	lastErr   string
	// capturing says a capture is under way (else the session waits for
	// the next); until is when it ends, or when the next one starts.
	capturing bool
	until     time.Time
}

// liveStatus is what the live bar says of a session capturing url every
// interval: a capture under way and the seconds it has left, or the
// seconds until the next one.
func liveStatus(url string, every time.Duration, capturing bool, left time.Duration) string {
	s := fmt.Sprintf("Live: %s every %s · ", url, every)
	secs := int(left.Seconds() + 0.999)
	switch {
	case capturing && secs > 0:
		return s + fmt.Sprintf("capturing, %d s left", secs)
	case capturing:
		return s + "capturing…"
	case secs > 0:
		return s + fmt.Sprintf("next capture in %d s", secs)
	}
	return s + "next capture now"
}

// livePanel is a live session's bar: its captures on a strip, the one
// shown, and buttons to compare with the previous one and to stop. It
// captures in the background and asks the window to show captures.
type livePanel struct {
	work  *async
	fetch fetch.Options // the command line's options for URLs
	// show shows capture p, or p compared with base as mode says.
	show func(url string, p, base *model.Profile, mode model.DiffMode)
	// sampleType is the sample type shown, kept across captures.
	sampleType func() string
	// recent records a URL or a saved copy in the recent lists.
	recent func(path string, url bool)
	// say puts a message in the window's status bar.
	say func(msg string)

	session *liveSession // nil until a live session starts
	label   *widget.Label
	strip   *fyne.Container
	compare *widget.Button
	stop    *widget.Button
	box     *fyne.Container
}

func newLivePanel(work *async, opt fetch.Options) *livePanel {
	lp := &livePanel{work: work, fetch: opt, label: widget.NewLabel(""), strip: container.NewHBox()}
	lp.compare = widget.NewButton("Compare with previous", lp.compareWithPrevious)
	lp.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), lp.end)
	lp.box = container.NewBorder(nil, nil, lp.label, container.NewHBox(lp.compare, lp.stop),
		container.NewHScroll(lp.strip))
	lp.box.Hide()
	return lp
}

// start captures url every interval (a CPU profile's capture is part of
// it), each capture added to the strip and the newest shown. A capture
// that fails is reported on the bar and the session goes on. It returns
// what is wrong with the URL.
func (lp *livePanel) start(rawURL string, seconds int, every time.Duration) error {
	lp.end()
	opt := lp.fetch
	opt.Seconds = seconds
	r, err := fetch.ResolveURL(rawURL, opt)
	if err != nil {
		return err
	}
	every = max(every, r.Capture)
	ctx, stop := context.WithCancel(lp.work.ctx) // Stop, a new session or closing the window ends it
	ls := &liveSession{url: r.URL, every: every, stop: stop, shown: -1}
	lp.session = ls
	lp.label.SetText(liveStatus(r.URL, every, true, r.Capture))
	lp.stop.Enable()
	lp.box.Show()
	lp.updateStrip()
	lp.recent(rawURL, true)

	phase := func(capturing bool, until time.Time) {
		lp.work.post(func() {
			ls.capturing, ls.until = capturing, until
			lp.sayPhase(ls)
		})
	}
	lp.work.every(ctx, 500*time.Millisecond, func() { lp.sayPhase(ls) }) // the countdown on the bar
	lp.work.run(laneNone, func(context.Context) func() {                 // one capture at a time, one per tick
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			started := time.Now()
			phase(true, started.Add(r.Capture))
			capture := opt
			capture.Copies = &fetch.Copies{} // where this capture is saved
			p, err := fetch.Profile(ctx, rawURL, capture)
			if ctx.Err() != nil {
				return nil
			}
			saved := session.Read{Copies: capture.Copies.List()}.Saved(p.Source)
			lp.work.post(func() { lp.addCapture(ls, p, saved, err) })
			phase(false, started.Add(every))
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
			}
		}
	})
	return nil
}

// sayPhase puts the session's countdown on the bar, unless it has ended
// or its last capture failed (which the bar says until the next one).
func (lp *livePanel) sayPhase(ls *liveSession) {
	if lp.session != ls || ls.stop == nil || (ls.lastErr != "" && !ls.capturing) {
		return
	}
	lp.label.SetText(liveStatus(ls.url, ls.every, ls.capturing, time.Until(ls.until)))
}

// end stops the live session; its captures stay on the strip.
func (lp *livePanel) end() {
	ls := lp.session
	if ls == nil || ls.stop == nil {
		return
	}
	ls.stop()
	ls.stop = nil
	lp.label.SetText("Stopped: " + ls.url)
	lp.stop.Disable()
}

// close ends the session and lets go of its captures.
func (lp *livePanel) close() {
	lp.end()
	lp.session = nil
}

// addCapture keeps a new capture (dropping the oldest past liveHistory),
// saved at saved ("" if it was not), and shows it, unless the user is
// looking at another one.
func (lp *livePanel) addCapture(ls *liveSession, p *model.Profile, saved string, err error) {
	if lp.session != ls {
		return // a newer session replaced this one
	}
	if err != nil {
		ls.lastErr = err.Error()
		lp.label.SetText("Live capture failed: " + ls.lastErr)
		return
	}
	ls.lastErr = ""
	following := !ls.comparing && (ls.shown < 0 || ls.shown == len(ls.captures)-1)
	ls.captures = append(ls.captures, capture{at: p.Fetched, profile: p})
	if over := len(ls.captures) - liveHistory; over > 0 {
		clear(ls.captures[:over]) // release the profiles
		ls.captures = ls.captures[over:]
		ls.shown -= over
	}
	if saved != "" {
		lp.recent(saved, false)
	}
	if following {
		lp.showCapture(len(ls.captures) - 1)
	} else {
		lp.updateStrip()
	}
}

// showCapture shows the i-th capture of the session.
func (lp *livePanel) showCapture(i int) {
	ls := lp.session
	if ls == nil || i < 0 || i >= len(ls.captures) {
		return
	}
	ls.shown, ls.comparing = i, false
	lp.updateStrip()
	lp.show(ls.url, ls.captures[i].profile, nil, 0)
}

// compareWithPrevious compares the capture shown with the one before it:
// for cumulative profiles (allocs, mutex, block, and a heap profile's
// alloc_ values) the difference between the two is what happened in
// between, so BASE is subtracted as pprof's -base does; otherwise the two
// are compared as -diff_base does. It says why it cannot.
func (lp *livePanel) compareWithPrevious() {
	ls := lp.session
	if ls == nil || ls.shown < 1 {
		lp.say("Compare with previous needs two captures")
		return
	}
	prev, cur := ls.captures[ls.shown-1], ls.captures[ls.shown]
	mode := model.DiffBase
	if cumulative(ls.url, lp.sampleType()) {
		mode = model.SubtractBase
	}
	ls.comparing = true // kept while captures come in, until one is picked
	lp.show(ls.url, cur.profile, prev.profile, mode)
}

// captureName is a profile's short name: for one fetched from a URL, its
// endpoint and the time it was taken ("profile at 16:04:05"), so that the
// captures of one URL compared are told apart; else its file's name.
func captureName(p *model.Profile) string {
	if p.Fetched.IsZero() || !fetch.IsRemote(p.Source) || fetch.IsPyroscope(p.Source) {
		return shortName(p.Source)
	}
	name := p.Source
	if u, err := url.Parse(p.Source); err == nil && u.Path != "" {
		name = path.Base(u.Path)
	}
	return name + takenAt(p.Fetched)
}

// takenAt names when a capture was taken, after its name: " at 16:04:05".
func takenAt(t time.Time) string { return " at " + t.Local().Format("15:04:05") }

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
func (lp *livePanel) updateStrip() {
	ls := lp.session
	lp.strip.Objects = nil
	if ls == nil {
		lp.strip.Refresh()
		return
	}
	for i, c := range ls.captures {
		b := widget.NewButton(c.at.Format("15:04:05"), func() { lp.showCapture(i) })
		if i == ls.shown {
			b.Importance = widget.HighImportance
		}
		lp.strip.Objects = append(lp.strip.Objects, b)
	}
	lp.strip.Refresh()
	if ls.shown >= 1 {
		lp.compare.Enable()
	} else {
		lp.compare.Disable()
	}
}
