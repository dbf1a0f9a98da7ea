package fetch

import (
	"strings"
	"testing"
	"time"
)

func TestParsePyroscope(t *testing.T) {
	flags := PyroscopeQuery{Service: "checkout", Type: "cpu", From: "-1h"}
	tests := []struct {
		source string
		server string
		query  PyroscopeQuery
		err    string
	}{
		{"pyroscope://127.0.0.1:4040", "http://127.0.0.1:4040", flags, ""},
		{"pyroscope+https://profiles.example.com/prefix/?service=api&from=-2h&to=-1h", "https://profiles.example.com/prefix",
			PyroscopeQuery{Service: "api", Type: "cpu", From: "-2h", To: "-1h"}, ""},
		{`pyroscope://h:1?labels=version%3D%22v2%22`, "http://h:1", PyroscopeQuery{Service: "checkout", Type: "cpu", Labels: `version="v2"`, From: "-1h"}, ""},
		{"pyroscope://h:1?servce=x", "", PyroscopeQuery{}, `unknown parameter "servce"`},
		{"pyroscope://", "", PyroscopeQuery{}, "not a Pyroscope source"},
	}
	for _, tc := range tests {
		ps, err := ParsePyroscope(tc.source, flags)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.source, err, tc.err)
			}
			continue
		}
		if err != nil || ps.Server != tc.server || ps.Query != tc.query {
			t.Errorf("%s: %+v, %v; want %s %+v", tc.source, ps, err, tc.server, tc.query)
		}
		// Written back as a URL, it reads as the same query.
		again, err := ParsePyroscope(ps.String(), PyroscopeQuery{})
		if err != nil || again != ps {
			t.Errorf("%s: written as %s, read back as %+v, %v", tc.source, ps.String(), again, err)
		}
	}
	if !IsRemote("pyroscope://127.0.0.1:4040") || IsPyroscope("http://127.0.0.1:4040") {
		t.Error("IsRemote/IsPyroscope")
	}
}

func TestPyroscopeRanges(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		from, to string
		want     Range
		err      string
	}{
		{"", "", Range{now.Add(-time.Hour), now}, ""},
		{"-15m", "now", Range{now.Add(-15 * time.Minute), now}, ""},
		{"-7d", "-1d", Range{now.Add(-7 * 24 * time.Hour), now.Add(-24 * time.Hour)}, ""},
		{"2026-11-24 09:00", "2026-11-24T10:00:00Z", Range{now.Add(-3 * time.Hour), now.Add(-2 * time.Hour)}, ""},
		{"1795510800", "now", Range{time.Unix(1795510800, 0), now}, ""},
		{"-1h", "-2h", Range{}, "is empty"},
		{"yesterday", "", Range{}, "not a time"},
		{"-1x", "", Range{}, "not a duration"},
	}
	for _, tc := range tests {
		got, err := PyroscopeQuery{From: tc.from, To: tc.to}.ResolveRange(now)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q..%q: %v, want an error saying %q", tc.from, tc.to, err, tc.err)
			}
			continue
		}
		if err != nil || !got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To) {
			t.Errorf("%q..%q: %v, %v; want %v", tc.from, tc.to, got, err, tc.want)
		}
	}
	if got := selector("api", `{version="v2", region=~"eu.*"}`); got != `{service_name="api",version="v2", region=~"eu.*"}` {
		t.Errorf("selector %s", got)
	}
}
