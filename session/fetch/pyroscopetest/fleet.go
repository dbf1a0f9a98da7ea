package pyroscopetest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"

	"github.com/flamelens/flamelens/session/fetch"
)

// Pushed is a profile of the test fleet: a file taken at a time (Ago
// before now) by an instance of a version of the "checkout" service.
type Pushed struct {
	File, Instance, Version string
	Ago                     time.Duration
	Path                    string // the profile as pushed, with its time
}

// CPUType is the profile type ID of the fleet's profiles.
const CPUType = "process_cpu:cpu:nanoseconds:cpu:nanoseconds"

// PushFleet starts a server and pushes the fleet's profiles (files of
// testdata) to it as the service "checkout": two instances of v1 35–40
// minutes ago, two of v2 5–10 minutes ago. It returns once the server
// answers for them.
func PushFleet(tb testing.TB, testdata string) (*Server, []Pushed) {
	tb.Helper()
	srv := Start(tb)
	now := time.Now()
	fleet := []Pushed{
		{File: "json-gogcoff.cpu.pprof", Instance: "10.0.0.1:6060", Version: "v1", Ago: 40 * time.Minute},
		{File: "json.cpu.pprof", Instance: "10.0.0.2:6060", Version: "v1", Ago: 35 * time.Minute},
		{File: "json-gogc10.cpu.pprof", Instance: "10.0.0.1:6060", Version: "v2", Ago: 10 * time.Minute},
		{File: "json.cpu.pprof", Instance: "10.0.0.2:6060", Version: "v2", Ago: 5 * time.Minute},
	}
	dir := tb.TempDir()
	for i := range fleet {
		p := &fleet[i]
		f, err := os.Open(filepath.Join(testdata, p.File))
		if err != nil {
			tb.Fatal(err)
		}
		prof, err := profile.Parse(f)
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		// Each push its own time: identical pushes would count once.
		prof.TimeNanos = now.Add(-p.Ago).UnixNano()
		var buf bytes.Buffer
		if err := prof.Write(&buf); err != nil {
			tb.Fatal(err)
		}
		p.Path = filepath.Join(dir, p.Version+"-"+strings.ReplaceAll(p.Instance, ":", "_")+".pb.gz")
		if err := os.WriteFile(p.Path, buf.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
		srv.Push(tb, "process_cpu", map[string]string{"service_name": "checkout", "instance": p.Instance, "version": p.Version}, buf.Bytes())
	}
	// Pushed profiles are queryable once the ingester has them.
	c := fetch.NewPyroscope(srv.URL, fetch.PyroscopeAuth{})
	rng := fetch.Range{From: now.Add(-time.Hour), To: now.Add(time.Minute)}
	deadline := time.Now().Add(30 * time.Second)
	for {
		data, err := c.Merged(context.Background(), fetch.PyroscopeQuery{Service: "checkout"}, CPUType, rng)
		if err == nil && len(data) > 0 {
			return srv, fleet
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the server has not the pushed profiles after 30s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Paths are the pushed profiles' files that keep keeps.
func Paths(fleet []Pushed, keep func(Pushed) bool) []string {
	var out []string
	for _, p := range fleet {
		if keep(p) {
			out = append(out, p.Path)
		}
	}
	return out
}
