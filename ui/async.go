package ui

import (
	"context"
	"sync"
	"time"
)

// lane names a kind of background work of a window. Work started in a lane
// makes the results of earlier work in the same lane stale: a newer load
// overtakes an older one, a keystroke the one before.
type lane int

const (
	laneNone     lane = iota // never stale: each result is delivered
	laneView                 // loading a profile and deriving its view
	laneDetails              // the callers and callees of the selected function
	laneSearch               // a search's matches and jump list
	laneGraph                // the call graph's layout
	laneInsights             // the findings of the view shown
	laneSource               // the source pane's listing: source code or machine code
	laneRuns                 // the statistics of two sets of runs compared
	laneCount
)

// async is the one boundary between a window's UI goroutine and its
// background work: run starts work off the UI goroutine, drops its result
// when newer work in its lane has started, and delivers the rest on the UI
// goroutine. Everything it starts gets a context that ends when the window
// closes, and nothing is delivered after that, so a closed window stops
// fetching, capturing and parsing, and lets its profile go.
type async struct {
	deliver func(func()) // fyne.Do, or a test queue
	ctx     context.Context
	cancel  context.CancelFunc

	mu     sync.Mutex
	gens   [laneCount]uint64
	closed bool
	wg     sync.WaitGroup
}

func newAsync(deliver func(func())) *async {
	a := &async{deliver: deliver}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	return a
}

// run starts work in lane; the function work returns (nil for none) runs
// on the UI goroutine, unless newer work in the lane has started or the
// window has closed by then. work's context ends when the window closes.
func (a *async) run(l lane, work func(ctx context.Context) (onUI func())) {
	gen, ok := a.begin(l)
	if !ok {
		return
	}
	go func() {
		defer a.wg.Done()
		if onUI := work(a.ctx); onUI != nil {
			a.deliverCurrent(l, gen, onUI)
		}
	}()
}

// deliverCurrent delivers onUI, the result of work gen of lane l, unless
// newer work in the lane has started or the window has closed by then.
func (a *async) deliverCurrent(l lane, gen uint64, onUI func()) {
	a.deliver(func() {
		if a.current(l, gen) {
			onUI()
		}
	})
}

// applyEarly is what runEarly returns: it waits up to d for the work and,
// if now says so, runs its result at once (true), else leaves it to be
// delivered (false).
type applyEarly func(d time.Duration, now func() bool) bool

// runEarly starts work in lane l at once, as run does, and returns
// applyBy: called on the UI goroutine, it waits up to d for the work and,
// if now says so, runs its result there and then (true); else it leaves
// the result to be delivered as run delivers it, whenever it is ready
// (false). A window starts loading its profile before it builds its
// widgets, and shows it in its first frame when it is read by then.
func (a *async) runEarly(l lane, work func(ctx context.Context) (onUI func())) (applyBy applyEarly) {
	gen, ok := a.begin(l)
	if !ok {
		return func(time.Duration, func() bool) bool { return false }
	}
	var mu sync.Mutex
	var result func()
	var done, handedOff bool
	ready := make(chan struct{})
	go func() {
		defer a.wg.Done()
		onUI := work(a.ctx)
		mu.Lock()
		result, done = onUI, true
		deliver := handedOff
		mu.Unlock()
		close(ready)
		if deliver && onUI != nil {
			a.deliverCurrent(l, gen, onUI)
		}
	}()
	return func(d time.Duration, now func() bool) bool {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-ready:
		case <-timer.C:
		}
		mu.Lock()
		if !done {
			handedOff = true
			mu.Unlock()
			return false
		}
		mu.Unlock()
		if !now() {
			if result != nil {
				// From another goroutine, so that it is queued for the UI
				// goroutine's loop even when this is the main goroutine
				// before the loop runs (fyne.Do runs a call from there at once).
				a.wg.Add(1)
				go func() {
					defer a.wg.Done()
					a.deliverCurrent(l, gen, result)
				}()
			}
			return false
		}
		if result != nil && a.current(l, gen) {
			result()
		}
		return true
	}
}

// post delivers f on the UI goroutine, unless the window has closed by
// then: for what work shows while it goes on (a countdown, a capture).
func (a *async) post(f func()) {
	a.deliver(func() {
		a.mu.Lock()
		closed := a.closed
		a.mu.Unlock()
		if !closed {
			f()
		}
	})
}

// every posts f on the UI goroutine each period until ctx ends: what a
// countdown shows while other work goes on.
func (a *async) every(ctx context.Context, period time.Duration, f func()) {
	a.run(laneNone, func(context.Context) func() {
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return nil
			case <-tick.C:
				a.post(f)
			}
		}
	})
}

// begin counts new work in lane l and returns its generation; false once
// the window has closed.
func (a *async) begin(l lane) (uint64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return 0, false
	}
	a.wg.Add(1)
	if l != laneNone {
		a.gens[l]++
	}
	return a.gens[l], true
}

// current reports whether gen is still the latest work of its lane and the
// window is open.
func (a *async) current(l lane, gen uint64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.closed && (l == laneNone || a.gens[l] == gen)
}

// drop makes every result pending in lane l stale, as when the view is
// replaced by one not derived in the background.
func (a *async) drop(l lane) {
	a.mu.Lock()
	a.gens[l]++
	a.mu.Unlock()
}

// close ends the context of everything started and delivers nothing more.
func (a *async) close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.cancel()
}
