package ui

import (
	"net"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

func TestSecondStartHandsItsFileToTheRunningOne(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "flamelens.sock")
	if sent, err := SendToRunning(socket, Options{Source: "/x.pprof"}); sent || err != nil {
		t.Fatalf("with nothing running: sent %v, %v", sent, err)
	}
	got := make(chan Options, 4)
	l, err := Listen(socket, func(o Options) { got <- o })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := Listen(socket, func(Options) {}); err == nil {
		t.Error("a second listener took the socket of a running one")
	}

	// Garbage on the socket is dropped; the listener goes on.
	if conn, err := net.Dial("unix", socket); err == nil {
		conn.Write([]byte("{not json\n"))
		conn.Close()
	}
	want := Options{Source: "/srv/profiles/after.pb.gz", DiffBase: "/srv/profiles/before.pb.gz", SampleIndex: "alloc_space",
		Filters: model.Filters{Focus: "json", TagFocus: "handler=api"}, View: "graph", Fetch: fetch.Options{Seconds: 5}}
	sent, err := SendToRunning(socket, want)
	if !sent || err != nil {
		t.Fatalf("sent %v, %v", sent, err)
	}
	select {
	case o := <-got:
		if !reflect.DeepEqual(o, want) {
			t.Errorf("received %+v, want %+v", o, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the running side was not asked to open anything")
	}
	if len(got) != 0 {
		t.Errorf("%d more requests than sent", len(got))
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	socket := filepath.Join(t.TempDir(), "flamelens.sock")
	// A flamelens that died leaves its socket file behind.
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	got := make(chan Options, 1)
	l, err := Listen(socket, func(o Options) { got <- o })
	if err != nil {
		t.Fatalf("the stale socket was not replaced: %v", err)
	}
	defer l.Close()
	if sent, err := SendToRunning(socket, Options{Source: "/a.pprof"}); !sent || err != nil {
		t.Fatalf("sent %v, %v", sent, err)
	}
	if o := <-got; o.Source != "/a.pprof" {
		t.Errorf("received %+v", o)
	}
}
