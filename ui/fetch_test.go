package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

func TestOpenURL(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})

	w.OpenURL(url+"/debug/pprof/profile", 1)
	if !w.status.capture.Visible() || !w.status.cancel.Visible() {
		t.Error("no countdown and Cancel button during a CPU capture")
	}
	if got := w.status.capture.TextFormatter(); !strings.HasPrefix(got, "capturing: 1s left") {
		t.Errorf("countdown says %q", got)
	}
	w.wait()
	if w.status.capture.Visible() || w.status.cancel.Visible() {
		t.Error("countdown still shown after the capture")
	}
	if !strings.Contains(w.Window().Title(), url+"/debug/pprof/profile?seconds=1") {
		t.Fatalf("title %q does not name the URL", w.Window().Title())
	}
	if w.shown.view.Main.SampleType.Name != "cpu" || w.shown.view.Main.Total[0] == 0 {
		t.Error("the fetched CPU profile is empty")
	}
	if got := recentURLs(w.app); len(got) == 0 || got[0] != url+"/debug/pprof/profile" {
		t.Errorf("URL history %v", got)
	}
	if got := recentFiles(w.app); len(got) == 0 || !strings.Contains(got[0], "flamelens/profiles/127.0.0.1_") || !strings.HasSuffix(got[0], ".pb.gz") {
		t.Errorf("the saved capture is not in the recent files: %v", got)
	}
}

func TestOpenURLCancelAndErrorsKeepTheOpenProfile(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer hang.Close()
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	before := w.shown.view.Main

	w.OpenURL(hang.URL+"/debug/pprof/profile", 30)
	start := time.Now()
	test.Tap(w.status.cancel) // the Cancel button
	w.wait()
	if time.Since(start) > 3*time.Second {
		t.Errorf("cancelling took %s", time.Since(start))
	}
	if w.shown.view.Main != before || !strings.HasPrefix(w.status.Text, "Cancelled") {
		t.Errorf("after cancel: status %q, profile replaced %v", w.status.Text, w.shown.view.Main != before)
	}
	if w.Window().Canvas().Overlays().Top() != nil {
		t.Error("a cancelled fetch showed an error dialog")
	}

	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	w.OpenURL(notFound.URL+"/debug/pprof/heap", 0)
	w.wait()
	if w.shown.view.Main != before {
		t.Error("a failed fetch replaced the open profile")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error dialog for a 404")
	}
}

func TestLiveSession(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})

	w.StartLive(url+"/debug/pprof/allocs", 0, 20*time.Millisecond)
	deadline := time.Now().Add(20 * time.Second)
	for len(w.live.session.captures) < liveHistory && time.Now().Before(deadline) {
		w.queue.run()
		time.Sleep(5 * time.Millisecond)
	}
	// Keep capturing past the history's size: the oldest are dropped.
	first := w.live.session.captures[0].at
	for i := 0; i < 300 && w.live.session.captures[0].at.Equal(first); i++ {
		w.queue.run()
		time.Sleep(10 * time.Millisecond)
	}
	w.StopLive()
	w.wait()
	ls := w.live.session
	if len(ls.captures) != liveHistory {
		t.Fatalf("%d captures kept, want the last %d", len(ls.captures), liveHistory)
	}
	if ls.captures[0].at.Equal(first) {
		t.Error("the oldest capture was not dropped")
	}
	if len(w.live.strip.Objects) != liveHistory {
		t.Errorf("%d buttons on the strip", len(w.live.strip.Objects))
	}
	if ls.shown != len(ls.captures)-1 || w.shown.view.Main == nil || !strings.Contains(w.Window().Title(), "/debug/pprof/allocs") {
		t.Errorf("shown %d of %d, title %q", ls.shown, len(ls.captures), w.Window().Title())
	}
	// Clicking an older capture shows it.
	test.Tap(w.live.strip.Objects[2].(fyne.Tappable))
	w.wait()
	if ls.shown != 2 || w.shown.open.info != &ls.captures[2].profile.Info {
		t.Errorf("tapping the third capture shows %d", ls.shown)
	}
	// allocs only grow: comparing with the previous capture subtracts it.
	w.live.compareWithPrevious()
	w.wait()
	c := w.shown.open.loaded.Comparison()
	if c == nil || c.Mode != model.SubtractBase || c.Base != ls.captures[1].profile || c.New != ls.captures[2].profile {
		t.Fatalf("comparison %+v", c)
	}
	if !w.compare.comparing() {
		t.Error("the comparison views are not shown")
	}
}

func TestCumulativeProfiles(t *testing.T) {
	for _, tc := range []struct {
		url, sampleType string
		want            bool
	}{
		{"http://h:1/debug/pprof/allocs", "alloc_space", true},
		{"http://h:1/debug/pprof/mutex", "delay", true},
		{"http://h:1/debug/pprof/block", "contentions", true},
		{"http://h:1/debug/pprof/heap", "alloc_objects", true},
		{"http://h:1/debug/pprof/heap", "inuse_space", false},
		{"http://h:1/debug/pprof/profile?seconds=5", "cpu", false},
		{"http://h:1/debug/pprof/goroutine", "goroutine", false},
	} {
		if got := cumulative(tc.url, tc.sampleType); got != tc.want {
			t.Errorf("cumulative(%s, %s) = %v", tc.url, tc.sampleType, got)
		}
	}
}

func TestReopeningReleasesTheOldProfile(t *testing.T) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 60_000, Stacks: 40_000, Funcs: 5_000, MaxDepth: 40, Seed: 9})
	file := t.TempDir() + "/gen.pb.gz"
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	raw = nil
	w := openTest(t, Options{Source: file})
	var heap []uint64
	for i := 0; i < 4; i++ {
		w.Open(file, "")
		w.wait()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		heap = append(heap, m.HeapAlloc)
	}
	// The second, third and fourth opening each replace the one before:
	// the heap stays where it was after the first.
	if heap[3] > heap[0]+heap[0]/4 {
		t.Errorf("heap after opening the same profile again: %v bytes", heap)
	}
}

// TestLongLiveSessionMemoryStaysFlat runs a live session well past its
// history: once the history is full, each capture replaces the oldest and
// the heap stops growing.
func TestLongLiveSessionMemoryStaysFlat(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var body bytes.Buffer
	spec := pproftest.Spec{Samples: 20_000, Stacks: 12_000, Funcs: 3_000, MaxDepth: 30, Seed: 4}
	if err := pproftest.Generate(spec).Write(&body); err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		rw.Write(body.Bytes())
	}))
	defer srv.Close()
	w := openTest(t, Options{})
	w.StartLive(srv.URL+"/debug/pprof/heap", 0, 5*time.Millisecond)
	heapAfter := func(captures int64) uint64 {
		// A guard against a session that stopped capturing, not a speed
		// target: under the race detector on a loaded 2-core machine a
		// capture and its view can take most of a second.
		for deadline := time.Now().Add(5 * time.Minute); hits.Load() < captures; {
			if time.Now().After(deadline) {
				t.Fatalf("only %d captures in five minutes", hits.Load())
			}
			w.queue.run()
			time.Sleep(2 * time.Millisecond)
		}
		w.queue.run()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	full := heapAfter(2 * liveHistory)
	later := heapAfter(8 * liveHistory)
	w.StopLive()
	w.wait()
	if len(w.live.session.captures) != liveHistory {
		t.Fatalf("%d captures kept, want %d", len(w.live.session.captures), liveHistory)
	}
	// 72 more captures of a few MB each: a leak of even one in ten shows.
	if later > full+full/5 {
		t.Errorf("heap after %d captures %d bytes, after %d: %d", 2*liveHistory, full, 8*liveHistory, later)
	}
	t.Logf("heap after %d captures: %.1f MB; after %d: %.1f MB", 2*liveHistory, float64(full)/1e6, 8*liveHistory, float64(later)/1e6)
}

// pollLive delivers a live window's results until done holds, failing
// with what (and what the live bar says) after 20 seconds.
func pollLive(t *testing.T, w *MainWindow, what string, done func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !done(); {
		if time.Now().After(deadline) {
			t.Fatalf("%s; the live bar says %q", what, w.live.label.Text)
		}
		w.queue.run()
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLiveCompareWhileRepeating: Compare with previous while the session
// still captures shows the comparison and keeps it: the captures that
// come in go on the strip without replacing it, until one is picked.
func TestLiveCompareWhileRepeating(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	w.StartLive(url+"/debug/pprof/allocs", 0, 20*time.Millisecond)
	t.Cleanup(w.StopLive)
	until := func(what string, done func() bool) { t.Helper(); pollLive(t, w, what, done) }
	ls := w.live.session
	newest := func() time.Time { return ls.captures[len(ls.captures)-1].at }
	// newer waits for a capture taken after the newest one now.
	newer := func() {
		t.Helper()
		t0 := newest()
		until("no new capture", func() bool { return newest().After(t0) })
	}
	until("fewer than two captures", func() bool { return len(ls.captures) >= 2 })
	test.Tap(w.live.compare)
	until("Compare with previous showed no comparison while repeating", func() bool { return w.shown.open.loaded.Comparison() != nil })
	c := w.shown.open.loaded.Comparison()
	newer()
	newer()
	w.queue.run()
	if w.shown.open.loaded.Comparison() != c {
		t.Error("a new capture replaced the comparison")
	}
	if len(w.live.strip.Objects) != len(ls.captures) {
		t.Errorf("%d captures on the strip of %d", len(w.live.strip.Objects), len(ls.captures))
	}
	// Picking the newest capture follows the session again.
	test.Tap(w.live.strip.Objects[len(w.live.strip.Objects)-1].(fyne.Tappable))
	newer()
	w.StopLive()
	w.wait()
	if w.shown.open.loaded.Comparison() != nil || ls.shown != len(ls.captures)-1 {
		t.Errorf("after picking the newest capture, shown %d of %d, comparing %v", ls.shown, len(ls.captures), w.shown.open.loaded.Comparison() != nil)
	}
}

func TestLiveStatus(t *testing.T) {
	const url = "http://h:1/debug/pprof/profile?seconds=5"
	for _, tc := range []struct {
		capturing bool
		left      time.Duration
		want      string
	}{
		{true, 4200 * time.Millisecond, "Live: " + url + " every 30s · capturing, 5 s left"},
		{true, 0, "Live: " + url + " every 30s · capturing…"},
		{false, 12 * time.Second, "Live: " + url + " every 30s · next capture in 12 s"},
		{false, -time.Second, "Live: " + url + " every 30s · next capture now"},
	} {
		if got := liveStatus(url, 30*time.Second, tc.capturing, tc.left); got != tc.want {
			t.Errorf("liveStatus(%v, %v) = %q, want %q", tc.capturing, tc.left, got, tc.want)
		}
	}
}

// A live session's bar counts down to the next capture, and captures of
// the one URL are told apart by the time they were taken.
func TestLiveCountsDownAndNamesCapturesByTime(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})
	// Long enough between captures that the countdown shows even when a
	// capture, under -race on a busy machine, takes a second.
	w.StartLive(url+"/debug/pprof/allocs", 0, 2500*time.Millisecond)
	t.Cleanup(w.StopLive)
	until := func(what string, done func() bool) { t.Helper(); pollLive(t, w, what, done) }
	until("the bar never counted down to the next capture", func() bool {
		return strings.Contains(w.live.label.Text, " · next capture in ") && strings.HasSuffix(w.live.label.Text, " s")
	})
	ls := w.live.session
	until("fewer than two captures", func() bool { return len(ls.captures) >= 2 && ls.shown == len(ls.captures)-1 })
	until("the title does not say when the capture shown was taken", func() bool {
		return strings.Contains(w.Window().Title(), " at "+ls.captures[ls.shown].at.Local().Format("15:04:05"))
	})
	test.Tap(w.live.compare)
	until("no comparison", func() bool { return w.shown.open.loaded.Comparison() != nil })
	w.StopLive()
	w.wait()
	c := w.shown.open.loaded.Comparison()
	want := fmt.Sprintf("NEW allocs at %s vs BASE allocs at %s", c.New.Fetched.Local().Format("15:04:05"), c.Base.Fetched.Local().Format("15:04:05"))
	if got := w.compare.label.Text; got != want {
		t.Errorf("comparison bar %q, want %q", got, want)
	}
}

// The Open URL dialog asks again for the capture length and interval
// given last time.
func TestURLDialogRemembersSecondsAndRepeat(t *testing.T) {
	a := test.NewTempApp(t)
	win := test.NewTempWindow(t, widget.NewLabel(""))
	var fetched, lived []string
	fetch := func(url string, seconds int) { fetched = append(fetched, fmt.Sprint(url, " ", seconds)) }
	live := func(url string, seconds int, every time.Duration) {
		lived = append(lived, fmt.Sprint(url, " ", seconds, " ", every))
	}
	d := showURLDialog(win, a.Preferences(), nil, fetch, live)
	if d.seconds.Text != "" || d.every.Text != "" {
		t.Errorf("first time: seconds %q, every %q; want both empty", d.seconds.Text, d.every.Text)
	}
	d.url.SetText("http://h:1/debug/pprof/profile")
	d.seconds.SetText("7")
	d.every.SetText("30")
	d.form.Submit()
	if len(lived) != 1 || lived[0] != "http://h:1/debug/pprof/profile 7 30s" {
		t.Fatalf("live sessions started: %v", lived)
	}
	d = showURLDialog(win, a.Preferences(), nil, fetch, live)
	if d.seconds.Text != "7" || d.every.Text != "30" {
		t.Errorf("second time: seconds %q, every %q; want 7 and 30", d.seconds.Text, d.every.Text)
	}
	// Once, with no interval: the next time asks for once too.
	d.url.SetText("http://h:1/debug/pprof/heap")
	d.every.SetText("")
	d.form.Submit()
	if len(fetched) != 1 || fetched[0] != "http://h:1/debug/pprof/heap 7" {
		t.Fatalf("fetched: %v", fetched)
	}
	if d = showURLDialog(win, a.Preferences(), nil, fetch, live); d.every.Text != "" || d.seconds.Text != "7" {
		t.Errorf("third time: seconds %q, every %q; want 7 and once", d.seconds.Text, d.every.Text)
	}
}
