package ui

import (
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestClosingAWindowStopsItsWork: a window running a live session against
// a service is closed. The service sees no request after that (nobody
// asked for load on it), the window's goroutines end, and it lets go of
// its profile.
func TestClosingAWindowStopsItsWork(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var requests atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", func(rw http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		pprof.Index(rw, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	w := newMainWindow(test.NewTempApp(t), Options{Source: "../testdata/json.cpu.pprof"}, &uiQueue{})
	w.wait()
	before := runtime.NumGoroutine()
	w.StartLive(srv.URL+"/debug/pprof/allocs", 0, 30*time.Millisecond)
	for deadline := time.Now().Add(20 * time.Second); len(w.live.session.captures) < 3; {
		if time.Now().After(deadline) {
			t.Fatal("the live session captured nothing")
		}
		w.queue.run()
		time.Sleep(5 * time.Millisecond)
	}
	// A load under way is cut short too.
	w.Open(srv.URL+"/debug/pprof/heap", "")

	w.Window().Close()
	ended := make(chan struct{})
	go func() { w.work.wg.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the window's background work goes on after it closed")
	}
	w.queue.run()
	seen := requests.Load()
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before the session:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	// With none of the window's goroutines left, nothing can ask for more.
	w.queue.run()
	if got := requests.Load(); got != seen {
		t.Errorf("the service got %d requests after the window closed", got-seen)
	}
	if !w.shown.open.loaded.IsZero() || w.shown.view.Main != nil || w.graph.Tree() != nil {
		t.Error("the closed window keeps its profile")
	}
	// Nothing started after closing runs.
	w.Open("../testdata/json.cpu.pprof", "")
	w.wait()
	if !w.shown.open.loaded.IsZero() {
		t.Error("a closed window loaded a profile")
	}
}

// TestWindowRefusesWhatTheCommandsRefuse: both bases at once is a mistake
// the window says, as the commands do, rather than picking one.
func TestWindowRefusesWhatTheCommandsRefuse(t *testing.T) {
	w := openTest(t, Options{Source: "../testdata/json-gogc10.cpu.pprof",
		DiffBase: "../testdata/json-gogcoff.cpu.pprof", Base: "../testdata/json-gogcoff.cpu.pprof"})
	if w.shown.open.loaded.Comparison() != nil {
		t.Error("the window compared with one of two bases")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error shown")
	}
}

// TestThemeChangesReachOpenWindowsOnly: the app's one settings listener
// passes a change of theme to each open window through its goroutine
// boundary, and forgets a window once it is closed, so that a closed
// window is not kept in memory by it.
func TestThemeChangesReachOpenWindowsOnly(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantLight})
	first := newMainWindow(a, Options{}, &uiQueue{})
	second := newMainWindow(a, Options{}, &uiQueue{})
	first.wait()
	second.wait()
	if n := themes(a).open(); n != 2 {
		t.Fatalf("the fan-out holds %d windows, want 2", n)
	}
	first.Window().Close()
	if n := themes(a).open(); n != 1 {
		t.Fatalf("after a window closed the fan-out holds %d windows, want 1", n)
	}
	a.Settings().SetTheme(variantTheme{theme.DefaultTheme(), theme.VariantDark})
	for deadline := time.Now().Add(10 * time.Second); !second.graph.theme.Dark; {
		if time.Now().After(deadline) {
			t.Fatal("the open window's graph did not turn dark")
		}
		second.wait()
		time.Sleep(time.Millisecond)
	}
	if first.graph.theme.Dark {
		t.Error("the closed window was redrawn")
	}
	second.Window().Close()
	fanoutsMu.Lock()
	_, kept := fanouts[a]
	fanoutsMu.Unlock()
	if kept {
		t.Error("the app is remembered after its last window closed")
	}
}
