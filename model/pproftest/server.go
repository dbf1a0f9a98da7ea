package pproftest

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/http/pprof"
	"runtime"
	"sync/atomic"
	"testing"
)

// Server starts a real net/http/pprof server on 127.0.0.1, with busy work
// running so that its profiles have content, and returns its base URL.
// It stops when the test ends.
func Server(tb testing.TB) string {
	tb.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	srv := httptest.NewServer(mux)
	stop := make(chan struct{})
	var sink atomic.Uint64
	go func() { // hashing keeps a CPU busy while a CPU profile is captured
		buf := bytes.Repeat([]byte("flamelens"), 1000)
		for {
			select {
			case <-stop:
				return
			default:
				sum := sha256.Sum256(buf)
				sink.Add(uint64(sum[0]))
			}
		}
	}()
	// A heap profile shows what was live at the last finished collection and
	// may lag by two cycles: keep a sampled allocation live through two, so
	// that /debug/pprof/heap's in-use space is never empty.
	live := make([]byte, 8<<20)
	runtime.GC()
	runtime.GC()
	tb.Cleanup(func() { close(stop); srv.Close(); runtime.KeepAlive(live) })
	return srv.URL
}
