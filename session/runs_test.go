package session

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/flamelens/flamelens/session/fetch"
)

func TestExpandRuns(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"run-2.pprof", "run-1.pprof", "run-10.pb.gz", ".hidden.pprof", "notes.md", "heap"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, n))
		}
		return out
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		spec string
		n    int
		want []string
	}{
		{dir, 0, in("heap", "run-1.pprof", "run-10.pb.gz", "run-2.pprof")},
		{filepath.Join(dir, "run-*.pprof"), 0, in("run-1.pprof", "run-2.pprof")},
		{filepath.Join(dir, "run-1.pprof") + ", " + filepath.Join(dir, "heap"), 0, in("run-1.pprof", "heap")},
		{filepath.Join(dir, "heap"), 0, in("heap")},
		{"localhost:6060", 3, []string{"localhost:6060", "localhost:6060", "localhost:6060"}},
		{"pyroscope://localhost:4040?service=api&from=2026-12-07T10:00:00Z&to=2026-12-07T11:00:00Z&runs=3", 0, []string{
			"pyroscope://localhost:4040?from=2026-12-07T10%3A00%3A00Z&service=api&to=2026-12-07T10%3A20%3A00Z",
			"pyroscope://localhost:4040?from=2026-12-07T10%3A20%3A00Z&service=api&to=2026-12-07T10%3A40%3A00Z",
			"pyroscope://localhost:4040?from=2026-12-07T10%3A40%3A00Z&service=api&to=2026-12-07T11%3A00%3A00Z",
		}},
		{"pyroscope://localhost:4040?service=api&from=-2h&to=-1h", 2, []string{
			"pyroscope://localhost:4040?from=2026-12-07T10%3A00%3A00Z&service=api&to=2026-12-07T10%3A30%3A00Z",
			"pyroscope://localhost:4040?from=2026-12-07T10%3A30%3A00Z&service=api&to=2026-12-07T11%3A00%3A00Z",
		}},
	} {
		got, err := ExpandRuns(tc.spec, tc.n, fetch.Options{}, now)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ExpandRuns(%q, %d) = %q, %v\nwant %q", tc.spec, tc.n, got, err, tc.want)
		}
	}
	for spec, want := range map[string]string{
		"":                        "no runs given",
		filepath.Join(dir, "x-*"): "no file matches",
		"pyroscope://localhost:4040?service=api&runs=many":                "runs=\"many\" is not a number of runs",
		"pyroscope://localhost:4040?service=api&from=-10s&to=now&runs=50": "less than a second each",
	} {
		if _, err := ExpandRuns(spec, 0, fetch.Options{}, now); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ExpandRuns(%q): %v, want %q", spec, err, want)
		}
	}
	empty := t.TempDir()
	if _, err := ExpandRuns(empty, 0, fetch.Options{}, now); err == nil || !strings.Contains(err.Error(), "has no profiles") {
		t.Errorf("an empty folder: %v", err)
	}
}
