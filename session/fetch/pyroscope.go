package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect"
	querierv1 "github.com/grafana/pyroscope/api/gen/proto/go/querier/v1"
	"github.com/grafana/pyroscope/api/gen/proto/go/querier/v1/querierv1connect"
	typesv1 "github.com/grafana/pyroscope/api/gen/proto/go/types/v1"
)

// A Pyroscope source is a query of a Grafana Pyroscope server, written as
// a URL: pyroscope://HOST:PORT (pyroscope+https:// for TLS) with the
// query in its parameters — service, type, labels, from, to — which
// PyroscopeQuery's defaults (the flags) fill in where it says nothing:
//
//	pyroscope://127.0.0.1:4040?service=api&type=cpu&from=-1h
//	pyroscope://127.0.0.1:4040?service=api&type=cpu&labels=version%3D%22v2%22&from=2026-11-24T09:00:00Z&to=2026-11-24T10:00:00Z
const (
	pyroscopeScheme      = "pyroscope://"
	pyroscopeHTTPSScheme = "pyroscope+https://"
)

// IsPyroscope reports whether source is a Pyroscope query.
func IsPyroscope(source string) bool {
	return strings.HasPrefix(source, pyroscopeScheme) || strings.HasPrefix(source, pyroscopeHTTPSScheme)
}

// PyroscopeQuery is what to ask a Pyroscope server for, as written in a
// source's parameters or in flags.
type PyroscopeQuery struct {
	// Service is the service_name label's value.
	Service string
	// Type is a sample type ("cpu", "alloc_space") or the server's full
	// profile type ID ("process_cpu:cpu:nanoseconds:cpu:nanoseconds").
	Type string
	// Labels are more label matchers, as in a Prometheus selector
	// (`version="v2",region=~"eu.*"`), braces optional.
	Labels string
	// From and To bound the time range: "now", a duration before now
	// ("-1h", "-15m", "-7d"), an RFC 3339 time, "2006-01-02 15:04" (UTC)
	// or Unix seconds. Empty From is an hour ago, empty To now.
	From, To string
}

// merge is q with what it leaves empty taken from defaults.
func (q PyroscopeQuery) merge(defaults PyroscopeQuery) PyroscopeQuery {
	for _, f := range []struct {
		v *string
		d string
	}{{&q.Service, defaults.Service}, {&q.Type, defaults.Type},
		{&q.Labels, defaults.Labels}, {&q.From, defaults.From}, {&q.To, defaults.To}} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
	return q
}

// PyroscopeSource is a Pyroscope source resolved: the server and the query.
type PyroscopeSource struct {
	Server string // http(s)://host:port[/prefix]
	Query  PyroscopeQuery
}

// ParsePyroscope reads a Pyroscope source; defaults fill in what its
// parameters leave out.
func ParsePyroscope(source string, defaults PyroscopeQuery) (PyroscopeSource, error) {
	var ps PyroscopeSource
	scheme, rest := "http://", strings.TrimPrefix(source, pyroscopeScheme)
	if r, ok := strings.CutPrefix(source, pyroscopeHTTPSScheme); ok {
		scheme, rest = "https://", r
	}
	u, err := url.Parse(scheme + rest)
	if err != nil || u.Host == "" || !IsPyroscope(source) {
		return ps, fmt.Errorf("%s: not a Pyroscope source (pyroscope://HOST:PORT?service=…&type=…)", source)
	}
	params := u.Query()
	for key := range params {
		if !slices.Contains([]string{"service", "type", "labels", "from", "to"}, key) {
			return ps, fmt.Errorf("%s: unknown parameter %q (known: service, type, labels, from, to)", source, key)
		}
	}
	ps.Query = PyroscopeQuery{Service: params.Get("service"), Type: params.Get("type"), Labels: params.Get("labels"),
		From: params.Get("from"), To: params.Get("to")}.merge(defaults)
	u.RawQuery = ""
	ps.Server = strings.TrimSuffix(u.String(), "/")
	return ps, nil
}

// String is the source as a URL with every parameter of its query.
func (ps PyroscopeSource) String() string {
	scheme := pyroscopeScheme
	rest, ok := strings.CutPrefix(ps.Server, "http://")
	if !ok {
		scheme, rest = pyroscopeHTTPSScheme, strings.TrimPrefix(ps.Server, "https://")
	}
	v := url.Values{}
	q := ps.Query
	for _, p := range [][2]string{{"service", q.Service}, {"type", q.Type}, {"labels", q.Labels}, {"from", q.From}, {"to", q.To}} {
		if p[1] != "" {
			v.Set(p[0], p[1])
		}
	}
	if len(v) == 0 {
		return scheme + rest
	}
	return scheme + rest + "?" + v.Encode()
}

// PyroscopeAuth is how a Pyroscope server is logged in to: a bearer token,
// or a user and password (Grafana Cloud: the instance ID and a token), and
// the tenant (X-Scope-OrgID) of a multi-tenant server. Never from the
// command line: from the environment (PyroscopeAuthFromEnv) or a file.
type PyroscopeAuth struct {
	Token, User, Password, Tenant string
}

// PyroscopeAuthFromEnv reads $PYROSCOPE_TOKEN, $PYROSCOPE_USER and
// $PYROSCOPE_PASSWORD, and $PYROSCOPE_TENANT.
func PyroscopeAuthFromEnv() PyroscopeAuth {
	return PyroscopeAuth{Token: os.Getenv("PYROSCOPE_TOKEN"), User: os.Getenv("PYROSCOPE_USER"),
		Password: os.Getenv("PYROSCOPE_PASSWORD"), Tenant: os.Getenv("PYROSCOPE_TENANT")}
}

// ReadPyroscopeAuth reads a file holding a token, or user:password, on
// its first line (-pyroscope_auth FILE); the environment's tenant is kept.
func ReadPyroscopeAuth(path string) (PyroscopeAuth, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return PyroscopeAuth{}, fmt.Errorf("reading the Pyroscope credentials: %w", err)
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return PyroscopeAuth{}, fmt.Errorf("%s: no token or user:password in it", path)
	}
	a := PyroscopeAuth{Tenant: os.Getenv("PYROSCOPE_TENANT")}
	if user, pass, ok := strings.Cut(line, ":"); ok {
		a.User, a.Password = user, pass
	} else {
		a.Token = line
	}
	return a, nil
}

// authTransport adds the credentials to every request.
type authTransport struct {
	auth PyroscopeAuth
	next http.RoundTripper
}

func (t authTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	switch {
	case t.auth.Token != "":
		r.Header.Set("Authorization", "Bearer "+t.auth.Token)
	case t.auth.User != "" || t.auth.Password != "":
		r.SetBasicAuth(t.auth.User, t.auth.Password)
	}
	if t.auth.Tenant != "" {
		r.Header.Set("X-Scope-OrgID", t.auth.Tenant)
	}
	return t.next.RoundTrip(r)
}

// Pyroscope is a client of a Pyroscope server's query API (its querier.v1
// Connect service), through the server project's own Go client.
type Pyroscope struct {
	server  string
	querier querierv1connect.QuerierServiceClient
}

// NewPyroscope is a client of server (http(s)://host:port).
func NewPyroscope(server string, auth PyroscopeAuth) *Pyroscope {
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment, TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	client := &http.Client{Transport: authTransport{auth: auth, next: tr}}
	return &Pyroscope{server: server, querier: querierv1connect.NewQuerierServiceClient(client, server)}
}

// Range is a time range, resolved.
type Range struct{ From, To time.Time }

// ms are the range's bounds in milliseconds since the epoch, as the API has them.
func (r Range) ms() (int64, int64) { return r.From.UnixMilli(), r.To.UnixMilli() }

// String is the range for messages: "10:00:00 to 11:00:00 UTC, 2026-11-24".
func (r Range) String() string {
	f, t := r.From.UTC(), r.To.UTC()
	if f.Format(time.DateOnly) == t.Format(time.DateOnly) {
		return fmt.Sprintf("%s to %s UTC, %s", f.Format(time.TimeOnly), t.Format(time.TimeOnly), f.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s to %s UTC", f.Format("2006-01-02 15:04:05"), t.Format("2006-01-02 15:04:05"))
}

// ResolveRange reads q's From and To at now.
func (q PyroscopeQuery) ResolveRange(now time.Time) (Range, error) {
	from, to := q.From, q.To
	if from == "" {
		from = "-1h"
	}
	if to == "" {
		to = "now"
	}
	var r Range
	var err error
	if r.From, err = parseTime(from, now); err != nil {
		return r, fmt.Errorf("-from %q: %v", from, err)
	}
	if r.To, err = parseTime(to, now); err != nil {
		return r, fmt.Errorf("-to %q: %v", to, err)
	}
	if !r.From.Before(r.To) {
		return r, fmt.Errorf("the range %s is empty: -from must be before -to", r)
	}
	return r, nil
}

// parseTime reads a time as PyroscopeQuery.From says.
func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "now":
		return now, nil
	case strings.HasPrefix(s, "-"):
		d, err := parseAgo(s[1:])
		return now.Add(-d), err
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(sec, 0), nil
	}
	return time.Time{}, errors.New(`not a time: use "now", "-1h", "-7d", an RFC 3339 time, "2006-01-02 15:04" (UTC) or Unix seconds`)
}

// parseAgo reads "1h", "15m", "7d", "2w".
func parseAgo(s string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.ParseFloat(n, 64)
			if err != nil || v < 0 {
				return 0, errors.New("not a duration")
			}
			return time.Duration(v * float64(unit)), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("not a duration (15m, 1h, 7d)")
	}
	return d, nil
}

// selector is the Prometheus selector of service and labels.
func selector(service, labels string) string {
	var parts []string
	if service != "" {
		parts = append(parts, fmt.Sprintf("service_name=%q", service))
	}
	if l := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(labels), "{"), "}")); l != "" {
		parts = append(parts, l)
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// explain says what went wrong with a call to the server, in plain words.
func (c *Pyroscope) explain(what string, err error) error {
	var cerr *connect.Error
	if errors.As(err, &cerr) {
		switch cerr.Code() {
		case connect.CodeUnauthenticated, connect.CodePermissionDenied:
			return fmt.Errorf("Pyroscope at %s refused the credentials (%s): set $PYROSCOPE_TOKEN, or $PYROSCOPE_USER and $PYROSCOPE_PASSWORD, or -pyroscope_auth FILE", c.server, cerr.Message())
		case connect.CodeInvalidArgument, connect.CodeNotFound, connect.CodeFailedPrecondition:
			return fmt.Errorf("Pyroscope at %s could not %s: %s", c.server, what, cerr.Message())
		case connect.CodeCanceled:
			return fmt.Errorf("asking Pyroscope at %s to %s: cancelled", c.server, what)
		case connect.CodeDeadlineExceeded:
			return fmt.Errorf("Pyroscope at %s did not %s in time", c.server, what)
		case connect.CodeUnavailable, connect.CodeUnknown, connect.CodeInternal:
			cause := errors.Unwrap(cerr)
			if cause == nil {
				cause = cerr
			}
			switch {
			case errors.Is(cause, context.Canceled):
				return fmt.Errorf("asking Pyroscope at %s to %s: cancelled", c.server, what)
			case isTLSError(cause):
				return fmt.Errorf("Pyroscope at %s: TLS failure: %s", c.server, rootCause(cause))
			case strings.Contains(cause.Error(), "connection refused"):
				return fmt.Errorf("Pyroscope at %s is unreachable: connection refused (is the server running, and is it this port?)", c.server)
			case cerr.Code() == connect.CodeUnavailable:
				return fmt.Errorf("Pyroscope at %s is unreachable: %s", c.server, rootCause(cause))
			}
		}
		return fmt.Errorf("Pyroscope at %s could not %s: %s", c.server, what, cerr.Message())
	}
	return fmt.Errorf("asking Pyroscope at %s to %s: %v", c.server, what, err)
}

// ProfileTypes lists the profile types the server has in r, for a
// service ("" for all).
func (c *Pyroscope) ProfileTypes(ctx context.Context, r Range) ([]*typesv1.ProfileType, error) {
	start, end := r.ms()
	resp, err := c.querier.ProfileTypes(ctx, connect.NewRequest(&querierv1.ProfileTypesRequest{Start: start, End: end}))
	if err != nil {
		return nil, c.explain("list its profile types", err)
	}
	return resp.Msg.ProfileTypes, nil
}

// LabelValues lists the values label name has in r among the series
// matching selector ("" for all): with "service_name", the services.
func (c *Pyroscope) LabelValues(ctx context.Context, name, service string, r Range) ([]string, error) {
	start, end := r.ms()
	req := &typesv1.LabelValuesRequest{Name: name, Start: start, End: end}
	if service != "" {
		req.Matchers = []string{selector(service, "")}
	}
	resp, err := c.querier.LabelValues(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, c.explain("list the values of "+name, err)
	}
	return resp.Msg.Names, nil
}

// LabelNames lists the label names of a service's series in r.
func (c *Pyroscope) LabelNames(ctx context.Context, service string, r Range) ([]string, error) {
	start, end := r.ms()
	req := &typesv1.LabelNamesRequest{Start: start, End: end}
	if service != "" {
		req.Matchers = []string{selector(service, "")}
	}
	resp, err := c.querier.LabelNames(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, c.explain("list its label names", err)
	}
	return resp.Msg.Names, nil
}

// ResolveType is the profile type ID q.Type names among the server's
// types in r: an ID as it is, a sample type ("cpu") if one type has it.
func (c *Pyroscope) ResolveType(ctx context.Context, q PyroscopeQuery, r Range) (string, error) {
	types, err := c.ProfileTypes(ctx, r)
	if err != nil {
		return "", err
	}
	var ids, matches []string
	for _, t := range types {
		ids = append(ids, t.ID)
		if t.ID == q.Type || t.SampleType == q.Type {
			matches = append(matches, t.ID)
		}
	}
	slices.Sort(ids)
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case strings.Count(q.Type, ":") == 4:
		return q.Type, nil // a full ID the server may have outside the range listed
	case len(types) == 0:
		return "", fmt.Errorf("Pyroscope at %s has no profiles between %s", c.server, r)
	case q.Type == "":
		return "", fmt.Errorf("which profile type? -type one of: %s", strings.Join(ids, ", "))
	case len(matches) > 1:
		return "", fmt.Errorf("-type %q is ambiguous: give one of %s", q.Type, strings.Join(matches, ", "))
	}
	return "", fmt.Errorf("Pyroscope at %s has no profile type %q between %s; it has: %s", c.server, q.Type, r, strings.Join(ids, ", "))
}

// Merged is the server's merge of every profile q selects in r
// (SelectMergeProfile), as an uncompressed pprof protobuf. typeID is the
// resolved profile type. An empty result is an error that says so.
func (c *Pyroscope) Merged(ctx context.Context, q PyroscopeQuery, typeID string, r Range) ([]byte, error) {
	start, end := r.ms()
	resp, err := c.querier.SelectMergeProfile(ctx, connect.NewRequest(&querierv1.SelectMergeProfileRequest{
		ProfileTypeID: typeID, LabelSelector: selector(q.Service, q.Labels), Start: start, End: end}))
	if err != nil {
		return nil, c.explain("merge the profiles", err)
	}
	if len(resp.Msg.Sample) == 0 {
		return nil, fmt.Errorf("Pyroscope at %s has no %s profiles of %s between %s", c.server, typeID, selector(q.Service, q.Labels), r)
	}
	return resp.Msg.MarshalVT()
}

// Point is a time series' value at a time.
type Point struct {
	Time  time.Time
	Value float64
}

// Series is the total of the profiles q selects in r, a point per step
// (SelectSeries, summed over every series): what the range chart draws.
func (c *Pyroscope) Series(ctx context.Context, q PyroscopeQuery, typeID string, r Range, step time.Duration) ([]Point, error) {
	start, end := r.ms()
	resp, err := c.querier.SelectSeries(ctx, connect.NewRequest(&querierv1.SelectSeriesRequest{
		ProfileTypeID: typeID, LabelSelector: selector(q.Service, q.Labels), Start: start, End: end, Step: step.Seconds()}))
	if err != nil {
		return nil, c.explain("give the time series", err)
	}
	sum := map[int64]float64{}
	for _, s := range resp.Msg.Series {
		for _, p := range s.Points {
			sum[p.Timestamp] += p.Value
		}
	}
	points := make([]Point, 0, len(sum))
	for ms, v := range sum {
		points = append(points, Point{Time: time.UnixMilli(ms), Value: v})
	}
	slices.SortFunc(points, func(a, b Point) int { return a.Time.Compare(b.Time) })
	return points, nil
}

// pyroscopeData asks the server source names for its merged profile.
func pyroscopeData(ctx context.Context, source string, opt Options) (Remote, []byte, error) {
	ps, err := ParsePyroscope(source, opt.Pyroscope)
	if err != nil {
		return Remote{}, nil, err
	}
	r := Remote{URL: ps.String(), Timeout: opt.Timeout}
	if r.Timeout <= 0 {
		r.Timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	rng, err := ps.Query.ResolveRange(time.Now())
	if err != nil {
		return r, nil, fmt.Errorf("%s: %v", r.URL, err)
	}
	auth := opt.PyroscopeAuth
	if auth == (PyroscopeAuth{}) {
		auth = PyroscopeAuthFromEnv()
	}
	c := NewPyroscope(ps.Server, auth)
	if ps.Query.Service == "" {
		services, err := c.LabelValues(ctx, "service_name", "", rng)
		if err != nil {
			return r, nil, err
		}
		if len(services) == 0 {
			return r, nil, fmt.Errorf("Pyroscope at %s has no services with profiles between %s", ps.Server, rng)
		}
		return r, nil, fmt.Errorf("which service? -service one of: %s", strings.Join(services, ", "))
	}
	typeID, err := c.ResolveType(ctx, ps.Query, rng)
	if err != nil {
		return r, nil, err
	}
	data, err := c.Merged(ctx, ps.Query, typeID, rng)
	return r, data, err
}
