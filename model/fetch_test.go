package model

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model/pproftest"
)

func TestFetchFromLiveService(t *testing.T) {
	base := pproftest.Server(t)
	dir := t.TempDir()
	tests := []struct {
		path      string
		wantTypes string
	}{
		{"/debug/pprof/profile?seconds=1", "samples/count,cpu/nanoseconds"},
		{"/debug/pprof/heap", "alloc_objects/count,alloc_space/bytes,inuse_objects/count,inuse_space/bytes"},
		{"/debug/pprof/goroutine", "goroutine/count"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			p, err := Fetch(context.Background(), base+tc.path, FetchOptions{SaveDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			var types []string
			for _, st := range p.SampleTypes() {
				types = append(types, st.String())
			}
			if got := strings.Join(types, ","); got != tc.wantTypes {
				t.Errorf("sample types %s, want %s", got, tc.wantTypes)
			}
			if tree := mustTree(t, p); tree.Total[Root] == 0 {
				t.Error("fetched profile is empty")
			}
			if p.Saved == "" || p.SaveErr != nil {
				t.Fatalf("not saved: %v", p.SaveErr)
			}
			again, err := Load(p.Saved)
			if err != nil || len(again.Raw.Sample) != len(p.Raw.Sample) {
				t.Errorf("the saved copy does not read back: %v", err)
			}
		})
	}
	// Only the saved profiles are in the folder: no temporary files.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".pb.gz") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if len(entries) != len(tests) {
		t.Errorf("%d files saved, want %d", len(entries), len(tests))
	}
}

func TestResolveURL(t *testing.T) {
	tests := []struct {
		source  string
		opt     FetchOptions
		url     string
		capture time.Duration
		timeout time.Duration
		bad     bool
	}{
		{source: "localhost:6060", url: "http://localhost:6060/debug/pprof/profile", timeout: 60 * time.Second},
		{source: "localhost:6060", opt: FetchOptions{Seconds: 10}, url: "http://localhost:6060/debug/pprof/profile?seconds=10", capture: 10 * time.Second, timeout: 15 * time.Second},
		{source: "http://h:1/debug/pprof/profile?seconds=4", url: "http://h:1/debug/pprof/profile?seconds=4", capture: 4 * time.Second, timeout: 9 * time.Second},
		{source: "h:1/debug/pprof/heap", url: "http://h:1/debug/pprof/heap", timeout: 60 * time.Second},
		{source: "https+insecure://h:1/debug/pprof/allocs", url: "https://h:1/debug/pprof/allocs", timeout: 60 * time.Second},
		{source: "http://h:1/debug/pprof/heap", opt: FetchOptions{Timeout: 3 * time.Second}, url: "http://h:1/debug/pprof/heap", timeout: 3 * time.Second},
		{source: "missing.pprof", bad: true},
		{source: "ftp://h:1/x", bad: true},
	}
	for _, tc := range tests {
		r, err := ResolveURL(tc.source, tc.opt)
		if tc.bad {
			if err == nil {
				t.Errorf("%s resolved to %s, want an error", tc.source, r.URL)
			}
			continue
		}
		if err != nil || r.URL != tc.url || r.Capture != tc.capture || r.Timeout != tc.timeout {
			t.Errorf("%s: %+v, %v; want %s capture %v timeout %v", tc.source, r, err, tc.url, tc.capture, tc.timeout)
		}
		if strings.HasPrefix(tc.source, "https+insecure") != r.Insecure {
			t.Errorf("%s: insecure %v", tc.source, r.Insecure)
		}
	}
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func TestFetchFailures(t *testing.T) {
	cpu := readTestdata(t, "json.cpu.pprof")
	bomb := gzipped(make([]byte, 64<<20)) // 64 MiB of zeros in ~64 KiB
	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Go-Pprof", "1")
		http.Error(w, "profile duration exceeds server's WriteTimeout", http.StatusInternalServerError)
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<!DOCTYPE html><html><body>/debug/pprof/</body></html>"))
	})
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte{0xff, 0x00, 0x13}, 999))
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) { w.Write(cpu[:len(cpu)/2]) })
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) { w.Write(bomb) })
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 64<<10)
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/redirect", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()

	before := runtime.NumGoroutine()
	opt := FetchOptions{Timeout: 2 * time.Second, MaxBytes: 8 << 20, SaveDir: NoSave}
	tests := []struct {
		name, url, want string
	}{
		{"hang", srv.URL + "/hang", "no complete answer within 2s"},
		{"404", srv.URL + "/404", "the server answered 404 Not Found: 404 page not found"},
		{"500 from pprof", srv.URL + "/500", "the server answered 500 Internal Server Error: profile duration exceeds server's WriteTimeout"},
		{"html", srv.URL + "/html", "is an HTML page, not a profile"},
		{"garbage", srv.URL + "/garbage", "not a pprof profile or folded stacks"},
		{"truncated gzip", srv.URL + "/truncated", "corrupt or truncated gzip data"},
		{"gzip bomb", srv.URL + "/bomb", "decompresses to more than 8MB"},
		{"endless body", srv.URL + "/endless", "the response is larger than 8MB"},
		{"redirect loop", srv.URL + "/redirect", "more than 5 redirects"},
		{"closed port", "http://" + closedAddr + "/debug/pprof/heap", "connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			p, err := Fetch(context.Background(), tc.url, opt)
			if err == nil {
				t.Fatalf("fetched %d samples, want an error", len(p.Raw.Sample))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.url) && !strings.Contains(err.Error(), strings.TrimPrefix(tc.url, "http://")) {
				t.Errorf("error %q does not name the URL", err)
			}
			if d := time.Since(start); d > opt.Timeout+time.Second {
				t.Errorf("took %s, past the %s timeout", d, opt.Timeout)
			}
		})
	}
	// Nothing lingers: no connection, no reader.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the fetches, %d before", n, before)
	}
}

func TestFetchCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Fetch(ctx, srv.URL+"/debug/pprof/profile?seconds=30", FetchOptions{SaveDir: NoSave})
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Errorf("error %v, want cancelled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancel took %s", d)
	}
}

func TestFetchTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(readTestdata(t, "json.cpu.pprof"))
	}))
	defer srv.Close()
	_, err := Fetch(context.Background(), srv.URL+"/debug/pprof/heap", FetchOptions{SaveDir: NoSave, Timeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "TLS failure") || !strings.Contains(err.Error(), "https+insecure://") {
		t.Errorf("error %v", err)
	}
	insecure := "https+insecure://" + strings.TrimPrefix(srv.URL, "https://") + "/debug/pprof/heap"
	p, err := Fetch(context.Background(), insecure, FetchOptions{SaveDir: NoSave, Timeout: 5 * time.Second})
	if err != nil || len(p.Raw.Sample) == 0 {
		t.Errorf("https+insecure: %v", err)
	}
}
