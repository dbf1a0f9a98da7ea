package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model"
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
			copies := &Copies{}
			p, err := Profile(context.Background(), base+tc.path, Options{SaveDir: dir, Copies: copies})
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
			if tree := mustTree(t, p); tree.Total[model.Root] == 0 {
				t.Error("fetched profile is empty")
			}
			saved := copies.List()
			if len(saved) != 1 || saved[0].Path == "" || saved[0].Err != nil || saved[0].Source != p.Source {
				t.Fatalf("not saved, or not said so: %+v", saved)
			}
			again, err := model.Load(saved[0].Path)
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
		opt     Options
		url     string
		capture time.Duration
		timeout time.Duration
		bad     bool
	}{
		{source: "localhost:6060", url: "http://localhost:6060/debug/pprof/profile", timeout: 60 * time.Second},
		{source: "localhost:6060", opt: Options{Seconds: 10}, url: "http://localhost:6060/debug/pprof/profile?seconds=10", capture: 10 * time.Second, timeout: 15 * time.Second},
		{source: "http://h:1/debug/pprof/profile?seconds=4", url: "http://h:1/debug/pprof/profile?seconds=4", capture: 4 * time.Second, timeout: 9 * time.Second},
		{source: "h:1/debug/pprof/heap", url: "http://h:1/debug/pprof/heap", timeout: 60 * time.Second},
		{source: "https+insecure://h:1/debug/pprof/allocs", url: "https://h:1/debug/pprof/allocs", timeout: 60 * time.Second},
		{source: "http://h:1/debug/pprof/heap", opt: Options{Timeout: 3 * time.Second}, url: "http://h:1/debug/pprof/heap", timeout: 3 * time.Second},
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
	opt := Options{Timeout: 2 * time.Second, MaxBytes: 8 << 20, SaveDir: NoSave}
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
			p, err := Profile(context.Background(), tc.url, opt)
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
	_, err := Profile(ctx, srv.URL+"/debug/pprof/profile?seconds=30", Options{SaveDir: NoSave})
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
	_, err := Profile(context.Background(), srv.URL+"/debug/pprof/heap", Options{SaveDir: NoSave, Timeout: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "TLS failure") || !strings.Contains(err.Error(), "https+insecure://") {
		t.Errorf("error %v", err)
	}
	insecure := "https+insecure://" + strings.TrimPrefix(srv.URL, "https://") + "/debug/pprof/heap"
	p, err := Profile(context.Background(), insecure, Options{SaveDir: NoSave, Timeout: 5 * time.Second})
	if err != nil || len(p.Raw.Sample) == 0 {
		t.Errorf("https+insecure: %v", err)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustTree(t testing.TB, p *model.Profile) *model.Tree {
	t.Helper()
	tree, err := p.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// FuzzResolveURL checks that any source string resolves to a URL or an
// error, never a panic, and that resolved URLs have a host.
func FuzzResolveURL(f *testing.F) {
	for _, s := range []string{"localhost:6060", "http://h:1/debug/pprof/heap?seconds=3", "https+insecure://h:1/x",
		"missing.pprof", "ftp://h/x", ":0", "http://[::1]:6060", "h:1/debug/pprof/profile?seconds=-5"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, source string, seconds int) {
		r, err := ResolveURL(source, Options{Seconds: seconds})
		if err != nil {
			return
		}
		if r.URL == "" || r.Timeout <= 0 || !strings.HasPrefix(r.URL, "http") {
			t.Errorf("%q resolved to %+v", source, r)
		}
	})
}

// TestStacksFetchesOnce: a URL whose profile the stream does not read (a
// legacy text format) is parsed from what was fetched, not fetched again;
// a pprof protobuf is streamed, saved, and gives the stacks its copy does.
func TestStacksFetchesOnce(t *testing.T) {
	legacy := []byte("heap profile: 1: 2048 [2: 4096] @ heap/1048576\n1: 2048 [2: 4096] @ 0x1 0x2\n")
	proto := readTestdata(t, "json.mem.pprof")
	for _, body := range [][]byte{legacy, proto} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits.Add(1)
			w.Write(body)
		}))
		dir := t.TempDir()
		copies := &Copies{}
		st, err := Stacks(context.Background(), srv.URL+"/debug/pprof/heap", "", model.Functions, Options{SaveDir: dir, Copies: copies})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		p, s := st.Info, st.Stacks
		if n := hits.Load(); n != 1 {
			t.Errorf("fetched %d times", n)
		}
		kept := copies.List()
		if p.Fetched.IsZero() || len(kept) != 1 || kept[0].Path == "" {
			t.Fatalf("fetched at %v, saved %+v", p.Fetched, kept)
		}
		saved, err := os.ReadFile(kept[0].Path)
		if err != nil {
			t.Fatal(err)
		}
		fromSaved, err := model.StacksFromBytes("saved", saved, model.DefaultMaxDecompressed, "", model.Functions)
		if err != nil {
			t.Fatal(err)
		}
		want := fromSaved.Stacks
		if s.AbsTotal != want.AbsTotal || s.Len() != want.Len() || !reflect.DeepEqual(s.Functions(), want.Functions()) {
			t.Errorf("fetched stacks: %d, total %d; saved copy's: %d, total %d", s.Len(), s.AbsTotal, want.Len(), want.AbsTotal)
		}
	}
}

// Two profiles of one host saved in the same millisecond (a comparison's
// two queries, fetched at once) keep a copy each.
func TestSavedCopiesNeverShareAName(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	paths := make([]string, 8)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := save(dir, "pyroscope://127.0.0.1:4040?service=a", []byte{byte(i)}, at)
			if err != nil {
				t.Error(err)
			}
			paths[i] = p
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || len(data) != 1 || data[0] != byte(i) {
			t.Errorf("copy %d at %s holds %v (%v)", i, p, data, err)
		}
		if seen[p] {
			t.Errorf("two copies named %s", p)
		}
		seen[p] = true
	}
}
