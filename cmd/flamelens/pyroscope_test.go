package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
	"github.com/flamelens/flamelens/session/fetch/pyroscopetest"
)

// pushFleet starts a server with the test fleet pushed to it.
func pushFleet(t *testing.T) (*pyroscopetest.Server, []pyroscopetest.Pushed) {
	t.Helper()
	return pyroscopetest.PushFleet(t, filepath.Join("..", "..", "testdata"))
}

func TestPyroscopeQueriesPrintWhatPprofPrints(t *testing.T) {
	srv, fleet := pushFleet(t)
	all := func(pyroscopetest.Pushed) bool { return true }
	v1 := func(p pyroscopetest.Pushed) bool { return p.Version == "v1" }
	v2 := func(p pyroscopetest.Pushed) bool { return p.Version == "v2" }
	instance1 := func(p pyroscopetest.Pushed) bool { return p.Instance == "10.0.0.1:6060" }
	tests := []struct {
		name  string
		args  []string
		want  []string // the pushed files pprof merges
		pprof []string // pprof's flags besides
	}{
		{"the last hour", []string{"-service", "checkout", "-type", "cpu", "-from", "-1h", srv.Source}, pyroscopetest.Paths(fleet, all), nil},
		{"by the full type ID, in the source's parameters", []string{srv.Source + "?service=checkout&type=process_cpu:cpu:nanoseconds:cpu:nanoseconds&from=-1h&to=now"}, pyroscopetest.Paths(fleet, all), nil},
		{"a time range", []string{"-service", "checkout", "-type", "cpu", "-from", "-50m", "-to", "-20m", srv.Source}, pyroscopetest.Paths(fleet, v1), nil},
		{"a label matcher", []string{"-service", "checkout", "-type", "cpu", "-labels", `version="v2"`, srv.Source}, pyroscopetest.Paths(fleet, v2), nil},
		{"a regexp matcher, focused", []string{"-service", "checkout", "-type", "cpu", "-labels", `{instance=~"10.0.0.1.*"}`, "-focus", "Unmarshal", srv.Source}, pyroscopetest.Paths(fleet, instance1), []string{"-focus=Unmarshal"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(append([]string{"top", "-n", "0"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			// Exactly what pprof prints for the profile the server returned
			// (its saved copy)...
			saved := savedCopy(t, errOut)
			checkTop(t, out, pproftest.TopOf(t, []string{saved}, "nanoseconds", tc.pprof...))
			// ...which is the pushed profiles merged.
			checkSameMerge(t, saved, tc.want, tc.pprof)
		})
	}

	// Two time ranges compared (before and after the deploy of v2), and two
	// label sets: exactly what pprof prints for the two merges the server
	// returned (BASE's copy is saved first).
	for _, args := range [][]string{
		{"-diff_base", srv.Source + "?from=-50m&to=-20m", "-from", "-20m", srv.Source},
		{"-diff_base", srv.Source + "?labels=version%3D%22v1%22", "-labels", `version="v2"`, srv.Source},
	} {
		out, errOut, code := runCLI(append([]string{"top", "-n", "0", "-service", "checkout", "-type", "cpu"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		saved := savedCopies(t, errOut)
		if len(saved) != 2 {
			t.Fatalf("%v: %d copies saved, want 2: %s", args, len(saved), errOut)
		}
		checkTop(t, out, pproftest.TopOf(t, saved[1:], "nanoseconds", "-diff_base="+saved[0]))
		if !strings.Contains(out, "encoding/json") {
			t.Errorf("%v: no function of the profiles:\n%.500s", args, out)
		}
	}
}

// savedCopies are the fetched profiles' copies a command's stderr names.
func savedCopies(t *testing.T, stderr string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(stderr, "\n") {
		if _, path, ok := strings.Cut(line, "saved the fetched profile in "); ok {
			out = append(out, path)
		}
	}
	return out
}

// savedCopy is the one fetched profile's copy a command's stderr names.
func savedCopy(t *testing.T, stderr string) string {
	t.Helper()
	saved := savedCopies(t, stderr)
	if len(saved) != 1 {
		t.Fatalf("%d saved copies named in %q, want 1", len(saved), stderr)
	}
	return saved[0]
}

// goShape is a generic function's type arguments, which the server
// writes as "[...]".
var goShape = regexp.MustCompile(`\[go\.shape\..*?\]`)

// checkSameMerge compares the server's merge with pprof's of the pushed
// files: the same total, and each function's own (flat) time. The server
// writes a generic function's type arguments as "[...]", and keeps its
// stacks in its own form, which can move a sample's callers (cum).
func checkSameMerge(t *testing.T, saved string, files []string, flags []string) {
	t.Helper()
	if len(flags) > 0 {
		return // a filter reads the callers too
	}
	server := pproftest.TopOf(t, []string{saved}, "nanoseconds")
	local := pproftest.TopOf(t, files, "nanoseconds")
	if server.Total != local.Total {
		t.Errorf("the server's merge totals %d, pprof's of the pushed files %d", server.Total, local.Total)
	}
	flat := map[string]int64{}
	for _, r := range local.Rows {
		flat[goShape.ReplaceAllString(r.Name, "[...]")] += r.Flat
	}
	for _, r := range server.Rows {
		if flat[r.Name] != r.Flat {
			t.Errorf("%s: flat %d in the server's merge, %d in pprof's", r.Name, r.Flat, flat[r.Name])
		}
	}
}

func TestPyroscopeErrorsSayWhatIsWrong(t *testing.T) {
	srv, _ := pushFleet(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	closedSource := "pyroscope://" + strings.TrimPrefix(closed.URL, "http://")
	// A server behind a proxy that wants a token, as it is run with logins.
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	guarded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer guarded.Close()
	guardedSource := "pyroscope://" + strings.TrimPrefix(guarded.URL, "http://")
	tlsSrv := httptest.NewUnstartedServer(proxy)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	tlsSource := "pyroscope+https://" + strings.TrimPrefix(tlsSrv.URL, "https://")

	q := []string{"-service", "checkout", "-type", "cpu"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an empty range", append(q, "-from", "-7d", "-to", "-6d", srv.Source), "has no profiles between"},
		{"no such service", []string{"-service", "payments", "-type", "process_cpu:cpu:nanoseconds:cpu:nanoseconds", srv.Source}, `has no process_cpu:cpu:nanoseconds:cpu:nanoseconds profiles of {service_name="payments"}`},
		{"no service given", []string{"-type", "cpu", srv.Source}, "which service? -service one of: checkout"},
		{"no such type", []string{"-service", "checkout", "-type", "wall", srv.Source}, `has no profile type "wall"`},
		{"a bad matcher (400)", append(q, "-labels", `version=="v2"`, srv.Source), "could not merge the profiles: "},
		{"unreachable", append(q, closedSource), "is unreachable: connection refused"},
		{"credentials refused", append(q, guardedSource), "refused the credentials"},
		{"TLS", append(q, tlsSource), "TLS failure"},
		{"a bad time", append(q, "-from", "yesterday", srv.Source), `-from "yesterday": not a time`},
		{"an unknown parameter", []string{srv.Source + "?service=checkout&typ=cpu"}, `unknown parameter "typ"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(append([]string{"top"}, tc.args...)...)
			if code != 1 || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("exit %d, %q; want exit 1 and one line saying %q", code, errOut, tc.want)
			}
		})
	}

	// The token from the environment, never from the command line.
	t.Setenv("PYROSCOPE_TOKEN", "s3cret")
	if _, errOut, code := runCLI(append([]string{"top"}, append(q, guardedSource)...)...); code != 0 {
		t.Errorf("with $PYROSCOPE_TOKEN: exit %d, %s", code, errOut)
	}
	auth := filepath.Join(t.TempDir(), "token")
	os.WriteFile(auth, []byte("s3cret\n"), 0o600)
	t.Setenv("PYROSCOPE_TOKEN", "")
	if _, errOut, code := runCLI(append([]string{"top", "-pyroscope_auth", auth}, append(q, guardedSource)...)...); code != 0 {
		t.Errorf("with -pyroscope_auth: exit %d, %s", code, errOut)
	}
}

// compare with runs=N: a Pyroscope range split into equal runs, each the
// merge of the profiles pushed in its part of the range (here one each),
// with pprof's total.
func TestPyroscopeRunsCompared(t *testing.T) {
	srv, fleet := pushFleet(t)
	before := srv.Source + "?service=checkout&type=cpu&from=-42m&to=-32m&runs=2"
	after := srv.Source + "?service=checkout&type=cpu&from=-12m&to=-2m"
	r, errOut, code := compareJSON(t, "-normalize", "none", "-runs", "2", before, after)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(r.Before.Runs) != 2 || len(r.After.Runs) != 2 || r.Tested {
		t.Fatalf("runs %q and %q (tested %v): want 2 a side, untested", r.Before.Runs, r.After.Runs, r.Tested)
	}
	// In time order: v1's two pushes, then v2's.
	for i, p := range fleet {
		values := r.Before.Runs
		total := r.Total.Before.Values
		if i >= 2 {
			values, total = r.After.Runs, r.Total.After.Values
		}
		if want := pproftest.TopReport(t, p.Path, "nanoseconds").Total; total[i%2] != float64(want) {
			t.Errorf("run %s: total %v, pprof's of %s %d", values[i%2], total[i%2], p.File, want)
		}
	}
}
