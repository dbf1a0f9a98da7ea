// Package fetch gets profiles from live services, as go tool pprof does:
// URLs and pprof's host:port shorthand, capture lengths and time-outs,
// size caps, redirects, TLS, saved copies, and errors that say what went
// wrong. It hands the bytes it got, and where they came from, to the
// model, which reads bytes and files and knows nothing of networks.
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/flamelens/flamelens/model"
)

// Options are how a profile is fetched from a live service.
type Options struct {
	// Seconds overrides the capture length of CPU and trace profiles (the
	// URL's seconds parameter), as pprof's -seconds; 0 keeps the URL's.
	Seconds int
	// Timeout overrides the time allowed for the whole fetch, as pprof's
	// -timeout; 0 gives pprof's: 1.5× the capture (at least 5 s more
	// than it), or 60 s for profiles that are not captures.
	Timeout time.Duration
	// MaxBytes caps the response and its decompressed content; 0 is
	// DefaultMaxBytes.
	MaxBytes int64
	// SaveDir is where fetched profiles are kept; "" is SaveDir(), and
	// NoSave keeps nothing.
	SaveDir string
	// Pyroscope is the query of a Pyroscope source where its parameters
	// say nothing (the flags), and PyroscopeAuth its credentials (zero:
	// from the environment, PyroscopeAuthFromEnv).
	Pyroscope     PyroscopeQuery
	PyroscopeAuth PyroscopeAuth `json:"-"` // never written down (a window's options are passed on as JSON)
	// Copies, if not nil, is told where each profile fetched was saved,
	// or why it could not be.
	Copies *Copies `json:"-"`
}

// Copy is where a fetched profile was saved (Options.SaveDir): Path, or
// "" with Err saying why it could not be.
type Copy struct {
	Source string // the URL fetched, as the profile's model.Info.Source
	Path   string
	Err    error
}

// Copies collects the copies of the profiles fetched with the options
// holding it; safe for use from several goroutines.
type Copies struct {
	mu   sync.Mutex
	list []Copy
}

// Add records cp, as a fetch does.
func (c *Copies) Add(cp Copy) {
	c.mu.Lock()
	c.list = append(c.list, cp)
	c.mu.Unlock()
}

// List is the copies made so far, in the order they were made.
func (c *Copies) List() []Copy {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.list)
}

// DefaultMaxBytes is the largest response (and decompressed profile) a
// fetch accepts: 512 MiB.
const DefaultMaxBytes = 512 << 20

// NoSave as Options.SaveDir keeps no copy of fetched profiles.
const NoSave = "-"

// maxRedirects is how many redirects a fetch follows.
const maxRedirects = 5

// cpuProfilePath is what a bare host:port fetches, as go tool pprof does.
const cpuProfilePath = "/debug/pprof/profile"

// Remote is a resolved profile URL.
type Remote struct {
	// URL is what is fetched, with https+insecure turned into https.
	URL string
	// Insecure skips TLS certificate checks (https+insecure://).
	Insecure bool
	// Capture is how long the server records before answering (a CPU or
	// trace profile's seconds); 0 for an immediate answer.
	Capture time.Duration
	// Timeout is the time allowed for the whole fetch.
	Timeout time.Duration
}

// IsRemote reports whether source names a profile to fetch rather than a
// file: it is not an existing file and reads as a URL or host:port.
func IsRemote(source string) bool {
	if _, err := os.Stat(source); err == nil {
		return false
	}
	if IsPyroscope(source) {
		return true
	}
	_, err := ResolveURL(source, Options{})
	return err == nil
}

// ResolveURL applies go tool pprof's rules to a remote source: a missing
// scheme is http, a bare host:port fetches /debug/pprof/profile, -seconds
// sets the capture length, and the timeout follows from it.
func ResolveURL(source string, opt Options) (Remote, error) {
	var r Remote
	s := source
	if rest, ok := strings.CutPrefix(s, "https+insecure://"); ok {
		s, r.Insecure = "https://"+rest, true
	}
	u, err := url.Parse(s)
	if err != nil || (u.Host == "" && u.Scheme != "") || u.Scheme == "" {
		u, err = url.Parse("http://" + s)
	}
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return r, fmt.Errorf("%s: not a file, nor a profile URL (http://host:port/debug/pprof/...)", source)
	}
	if u.Port() == "" && !strings.Contains(source, "://") {
		return r, fmt.Errorf("%s: not a file, nor a profile URL (http://host:port/debug/pprof/...)", source)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = cpuProfilePath
	}
	q := u.Query()
	if opt.Seconds > 0 {
		q.Set("seconds", strconv.Itoa(opt.Seconds))
	}
	if sec, err := strconv.Atoi(q.Get("seconds")); err == nil && sec > 0 {
		r.Capture = time.Duration(sec) * time.Second
	}
	u.RawQuery = q.Encode()
	r.URL = u.String()
	switch {
	case opt.Timeout > 0:
		r.Timeout = opt.Timeout
	case r.Capture > 0:
		r.Timeout = max(r.Capture+r.Capture/2, r.Capture+5*time.Second)
	default:
		r.Timeout = 60 * time.Second
	}
	return r, nil
}

// Profile gets a profile from a live service and parses it. ctx cancels it.
// Errors name the URL and say what went wrong: no answer, refused, a
// status and the first line of the server's message, a TLS failure, an
// oversized or non-profile response. A fetched profile is saved (see
// Options.SaveDir), and its copy told to Options.Copies.
func Profile(ctx context.Context, source string, opt Options) (*model.Profile, error) {
	r, data, maxBytes, err := fetchData(ctx, source, opt)
	if err != nil {
		return nil, err
	}
	p, err := model.ParseLimited(r.URL, data, maxBytes)
	if err != nil {
		return nil, err
	}
	finishFetch(&p.Info, r, data, opt)
	return p, nil
}

// fetchData gets source's response body and the size limit it was read with.
func fetchData(ctx context.Context, source string, opt Options) (Remote, []byte, int64, error) {
	maxBytes := opt.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if IsPyroscope(source) {
		r, data, err := pyroscopeData(ctx, source, opt)
		return r, data, maxBytes, err
	}
	r, err := ResolveURL(source, opt)
	if err != nil {
		return Remote{}, nil, 0, err
	}
	data, err := r.get(ctx, maxBytes)
	return r, data, maxBytes, err
}

// get fetches the URL's body, at most maxBytes of it.
func (r Remote) get(ctx context.Context, maxBytes int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DisableKeepAlives:   true, // nothing lingers after a fetch
		TLSHandshakeTimeout: 15 * time.Second,
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: r.Insecure},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %v", r.URL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, r.explain(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		line := firstLine(io.LimitReader(resp.Body, 4096))
		if line != "" {
			line = ": " + line
		}
		return nil, fmt.Errorf("fetching %s: the server answered %s%s", r.URL, resp.Status, line)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, r.explain(ctx, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("fetching %s: the response is larger than %s (raise -max_response_mb to allow more)", r.URL, model.FormatValue(maxBytes, "bytes"))
	}
	return data, nil
}

// explain turns a transport error into what happened, for people.
func (r Remote) explain(ctx context.Context, err error) error {
	var what string
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		what = fmt.Sprintf("no complete answer within %s (a capture of N seconds needs more than N; see -timeout)", r.Timeout)
	case errors.Is(ctx.Err(), context.Canceled):
		what = "cancelled"
	case errors.Is(err, syscall.ECONNREFUSED):
		what = "connection refused: is the service running, and is it this port?"
	case isTLSError(err):
		what = "TLS failure: " + rootCause(err) + " (https+insecure:// skips certificate checks)"
	default:
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) {
			what = "unknown host " + dnsErr.Name
		} else {
			what = rootCause(err)
		}
	}
	return fmt.Errorf("fetching %s: %s", r.URL, what)
}

func isTLSError(err error) bool {
	var recordErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	return errors.As(err, &recordErr) || errors.As(err, &certErr) ||
		strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:")
}

// rootCause is the innermost message of a url.Error chain.
func rootCause(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return err.Error()
}

// firstLine is the first non-blank line of r, shortened.
func firstLine(r io.Reader) string {
	data, _ := io.ReadAll(r)
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if len(line) > 200 {
				line = strings.ToValidUTF8(line[:200], "") + "…"
			}
			return line
		}
	}
	return ""
}

// SaveDir is the per-user folder fetched profiles are kept in, as
// go tool pprof keeps them in ~/pprof: the OS cache folder's flamelens/profiles.
func SaveDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "flamelens", "profiles")
}

// save writes data to dir under a name from the URL and time, through a
// temporary file and a rename, so a half-written copy is never left.
func save(dir, rawURL string, data []byte, at time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("saving the fetched profile: %w", err)
	}
	name := "profile"
	if u, err := url.Parse(rawURL); err == nil {
		name = u.Host + strings.ReplaceAll(strings.TrimPrefix(u.Path, "/debug/pprof"), "/", "_")
	}
	name = strings.Map(func(r rune) rune {
		if r == ':' || r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	// A name of its own: two profiles fetched in the same millisecond
	// from one host (a comparison's two Pyroscope queries) get -2, -3….
	// It is reserved first, so the rename below never replaces another's.
	stem := filepath.Join(dir, name+"."+at.Format("20060102-150405.000"))
	var path string
	for i := 1; path == ""; i++ {
		p := stem + ".pb.gz"
		if i > 1 {
			p = fmt.Sprintf("%s-%d.pb.gz", stem, i)
		}
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		switch {
		case err == nil:
			f.Close()
			path = p
		case !errors.Is(err, fs.ErrExist) || i >= 1000:
			return "", fmt.Errorf("saving the fetched profile: %w", err)
		}
	}
	if err := writeOver(dir, path, data); err != nil {
		os.Remove(path) // the name reserved, not to be left empty
		return "", fmt.Errorf("saving the fetched profile: %w", err)
	}
	return path, nil
}

// writeOver writes data to path through a temporary file in dir and a
// rename, so a half-written copy is never seen.
func writeOver(dir, path string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".fetch-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Stacks gets a profile from a live service and reads its stacks for the
// sample type a -sample_index value names, at granularity g, as
// model.OpenStacks does for a file: streamed when it is a pprof protobuf,
// else parsed in full from the bytes fetched (never fetched twice).
func Stacks(ctx context.Context, source, sampleSpec string, g model.Granularity, opt Options) (*model.Streamed, error) {
	r, data, maxBytes, err := fetchData(ctx, source, opt)
	if err != nil {
		return nil, err
	}
	st, err := model.StacksFromBytes(r.URL, data, maxBytes, sampleSpec, g)
	if err != nil {
		return nil, err
	}
	finishFetch(st.Info, r, data, opt)
	return st, nil
}

// finishFetch marks p as fetched now and saves data as its copy.
func finishFetch(p *model.Info, r Remote, data []byte, opt Options) {
	p.Fetched = time.Now()
	if opt.SaveDir != NoSave {
		dir := opt.SaveDir
		if dir == "" {
			dir = SaveDir()
		}
		// A profile that cannot be saved is still shown; the reason is kept.
		path, err := save(dir, r.URL, data, p.Fetched)
		if opt.Copies != nil {
			opt.Copies.Add(Copy{Source: p.Source, Path: path, Err: err})
		}
	}
}
