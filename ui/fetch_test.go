package ui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model/pproftest"
)

func TestOpenURL(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	url := pproftest.Server(t)
	w := openTest(t, Options{Source: "../testdata/json.cpu.pprof"})

	w.OpenURL(url+"/debug/pprof/profile", 1)
	if !w.capture.Visible() || !w.cancel.Visible() {
		t.Error("no countdown and Cancel button during a CPU capture")
	}
	if got := w.capture.TextFormatter(); !strings.HasPrefix(got, "capturing: 1s left") {
		t.Errorf("countdown says %q", got)
	}
	w.wait()
	if w.capture.Visible() || w.cancel.Visible() {
		t.Error("countdown still shown after the capture")
	}
	if !strings.Contains(w.Window().Title(), url+"/debug/pprof/profile?seconds=1") {
		t.Fatalf("title %q does not name the URL", w.Window().Title())
	}
	if w.view.main.SampleType.Name != "cpu" || w.view.main.Total[0] == 0 {
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
	before := w.view.main

	w.OpenURL(hang.URL+"/debug/pprof/profile", 30)
	start := time.Now()
	w.cancelLoad()
	w.wait()
	if time.Since(start) > 3*time.Second {
		t.Errorf("cancelling took %s", time.Since(start))
	}
	if w.view.main != before || !strings.HasPrefix(w.status.Text, "Cancelled") {
		t.Errorf("after cancel: status %q, profile replaced %v", w.status.Text, w.view.main != before)
	}
	if w.Window().Canvas().Overlays().Top() != nil {
		t.Error("a cancelled fetch showed an error dialog")
	}

	notFound := httptest.NewServer(http.NotFoundHandler())
	defer notFound.Close()
	w.OpenURL(notFound.URL+"/debug/pprof/heap", 0)
	w.wait()
	if w.view.main != before {
		t.Error("a failed fetch replaced the open profile")
	}
	if w.Window().Canvas().Overlays().Top() == nil {
		t.Error("no error dialog for a 404")
	}
}
