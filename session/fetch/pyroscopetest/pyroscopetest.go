// Package pyroscopetest builds and runs a real Grafana Pyroscope server
// for flamelens's tests: the server project's own code, from the Go module
// proxy, started on 127.0.0.1 with filesystem storage in a temporary
// folder, and pushes profiles to it through the project's push.v1 client.
package pyroscopetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"
	pushv1 "github.com/grafana/pyroscope/api/gen/proto/go/push/v1"
	"github.com/grafana/pyroscope/api/gen/proto/go/push/v1/pushv1connect"
	typesv1 "github.com/grafana/pyroscope/api/gen/proto/go/types/v1"
)

// The server's versions: the newest the module proxy serves here (v1.12.1
// and later are refused), and the API module its go.mod replaces.
const (
	serverModule  = "github.com/grafana/pyroscope@v1.12.0"
	apiModule     = "github.com/grafana/pyroscope/api@v1.2.0"
	serverVersion = "v1.12.0"
)

// Binary is the server's executable: $FLAMELENS_PYROSCOPE if set, else
// built once per machine into the user's cache folder (about 5 minutes
// on two cores the first time; other test processes wait for it). It
// skips the test in -short mode.
func Binary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("-short: no Pyroscope server")
	}
	if bin := os.Getenv("FLAMELENS_PYROSCOPE"); bin != "" {
		return bin
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "flamelens-test", "pyroscope-"+serverVersion)
	bin := filepath.Join(dir, "pyroscope")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		tb.Fatal(err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		tb.Fatal(err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin // built while this test waited
	}
	if err := build(tb, bin); err != nil {
		tb.Fatalf("building the Pyroscope server: %v", err)
	}
	return bin
}

// build builds the server from the module proxy into bin: its module,
// with the API module copied where its go.mod's replace directive looks.
func build(tb testing.TB, bin string) error {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	start := time.Now()
	run := func(dir string, env []string, args ...string) ([]byte, error) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 20))
		}
		return out, nil
	}
	tmp, err := os.MkdirTemp(filepath.Dir(bin), "build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// go mod download prints each module's folder in the module cache.
	out, err := run(tmp, []string{"GOFLAGS=-mod=mod"}, "mod", "download", "-json", serverModule, apiModule)
	if err != nil {
		return err
	}
	dirs := map[string]string{}
	dec := jsonObjects(out)
	for _, obj := range dec {
		dirs[obj["Path"]] = obj["Dir"]
	}
	serverDir, apiDir := dirs["github.com/grafana/pyroscope"], dirs["github.com/grafana/pyroscope/api"]
	if serverDir == "" || apiDir == "" {
		return fmt.Errorf("go mod download did not give both modules' folders:\n%s", out)
	}
	src := filepath.Join(tmp, "src")
	if err := os.CopyFS(src, os.DirFS(serverDir)); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(src, "api")); err != nil {
		return err
	}
	if err := os.CopyFS(filepath.Join(src, "api"), os.DirFS(apiDir)); err != nil {
		return err
	}
	for _, f := range []string{"go.work", "go.work.sum"} { // it names a folder the module does not hold
		os.Remove(filepath.Join(src, f))
	}
	if _, err := run(src, []string{"GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0"}, "build", "-o", bin+".new", "./cmd/pyroscope"); err != nil {
		return err
	}
	tb.Logf("built the Pyroscope server %s in %s", serverVersion, time.Since(start).Round(time.Second))
	return os.Rename(bin+".new", bin)
}

// jsonObjects reads the flat string fields of a stream of JSON objects
// (go mod download -json's output).
func jsonObjects(data []byte) []map[string]string {
	var out []map[string]string
	for _, chunk := range strings.Split(string(data), "\n}") {
		obj := map[string]string{}
		for _, line := range strings.Split(chunk, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ": ")
			if !ok {
				continue
			}
			k, _ = strconv.Unquote(k)
			v, _ = strconv.Unquote(strings.TrimSuffix(v, ","))
			obj[k] = v
		}
		if len(obj) > 0 {
			out = append(out, obj)
		}
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Server is a running Pyroscope server.
type Server struct {
	// URL is its HTTP address: http://127.0.0.1:PORT.
	URL string
	// Source is the flamelens source of it: pyroscope://127.0.0.1:PORT.
	Source string
}

// Start starts a server on free ports of 127.0.0.1 with its data in a
// temporary folder; it stops when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin := Binary(tb)
	dir := tb.TempDir()
	httpPort, grpcPort := freePort(tb), freePort(tb)
	config := fmt.Sprintf(`target: all
server: {http_listen_address: 127.0.0.1, http_listen_port: %d, grpc_listen_address: 127.0.0.1, grpc_listen_port: %d}
storage: {backend: filesystem, filesystem: {dir: %s}}
pyroscopedb: {data_path: %s}
self_profiling: {disable_push: true}
`, httpPort, grpcPort, filepath.Join(dir, "shared"), filepath.Join(dir, "db"))
	configFile := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(configFile, []byte(config), 0o644); err != nil {
		tb.Fatal(err)
	}
	args := []string{"-config.file=" + configFile, "-usage-stats.enabled=false", "-config.show_banner=false",
		"-ingester.min-ready-duration=0s"}
	for _, ring := range []string{"ring", "distributor.ring", "compactor.ring", "overrides-exporter.ring", "query-scheduler.ring", "store-gateway.sharding-ring"} {
		args = append(args, "-"+ring+".store=inmemory")
	}
	for _, addr := range []string{"ingester.lifecycler.addr", "distributor.ring.instance-addr", "compactor.ring.instance-addr",
		"overrides-exporter.ring.instance-addr", "query-frontend.instance-addr", "query-scheduler.ring.instance-addr",
		"store-gateway.sharding-ring.instance-addr"} {
		args = append(args, "-"+addr+"=127.0.0.1")
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logFile, logFile
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logFile.Close() }()
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", httpPort), Source: fmt.Sprintf("pyroscope://127.0.0.1:%d", httpPort)}
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logFile.Name())
			tb.Fatalf("the Pyroscope server stopped: %v\n%s", err, lastLines(string(log), 30))
		default:
		}
		if resp, err := http.Get(s.URL + "/ready"); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.TrimSpace(string(body)) == "ready" {
				return s
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logFile.Name())
			tb.Fatalf("the Pyroscope server was not ready in 90s:\n%s", lastLines(string(log), 30))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Push sends a pprof profile (gzipped or not) to the server as one
// series with these labels; name is its __name__ (process_cpu, memory).
func (s *Server) Push(tb testing.TB, name string, labels map[string]string, profile []byte) {
	tb.Helper()
	pairs := []*typesv1.LabelPair{{Name: "__name__", Value: name}}
	for k, v := range labels {
		pairs = append(pairs, &typesv1.LabelPair{Name: k, Value: v})
	}
	client := pushv1connect.NewPusherServiceClient(http.DefaultClient, s.URL)
	_, err := client.Push(context.Background(), connect.NewRequest(&pushv1.PushRequest{Series: []*pushv1.RawProfileSeries{{
		Labels: pairs, Samples: []*pushv1.RawSample{{RawProfile: profile}}}}}))
	if err != nil {
		var cerr *connect.Error
		if errors.As(err, &cerr) {
			tb.Fatalf("pushing a profile: %s: %s", cerr.Code(), cerr.Message())
		}
		tb.Fatalf("pushing a profile: %v", err)
	}
}
