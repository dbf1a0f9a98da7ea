package session

import (
	"context"
	"errors"
	"testing"

	"github.com/flamelens/flamelens/model"
)

const (
	before = "../testdata/json-gogcoff.cpu.pprof"
	after  = "../testdata/json-gogc10.cpu.pprof"
)

func TestSourcesAreCheckedOnce(t *testing.T) {
	tests := []struct {
		src  Source
		want string
	}{
		{Source{Path: after}, ""},
		{Source{Path: after, DiffBase: before, Normalize: true}, ""},
		{Source{Path: after, Base: before}, ""},
		{Source{Path: after, DiffBase: before, Base: before}, "-diff_base and -base cannot both be given"},
		{Source{Path: after, Normalize: true}, "-normalize needs -diff_base or -base"},
	}
	for _, tc := range tests {
		err := tc.src.Validate()
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.src, err)
			}
			continue
		}
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrUsage) {
			t.Errorf("%s: %v, want the usage error %q", tc.src, err, tc.want)
		}
		if _, _, err := Open(context.Background(), tc.src, true); err == nil || err.Error() != tc.want {
			t.Errorf("%s: Open said %v", tc.src, err)
		}
	}
}

func TestOpenComparesAsPprof(t *testing.T) {
	// The window's -diff_base keeps both sides; the commands' is pprof's
	// merge: NEW minus BASE is the same from both.
	src := Source{Path: after, DiffBase: before}
	merged, read, err := Open(context.Background(), src, true)
	if err != nil || len(read) != 2 {
		t.Fatalf("%v, %d profiles read", err, len(read))
	}
	apart, _, err := Open(context.Background(), src, false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := merged.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := apart.Comparison().Stacks(m.SampleIndex)
	if err != nil {
		t.Fatal(err)
	}
	_, _, diff := s.CompareTrees(model.DiffBase)
	if m.AbsTotal != diff.AbsTotal || m.Total[model.Root] != diff.Total[model.Root] {
		t.Errorf("merged: total %d of %d; kept apart: %d of %d", m.Total[model.Root], m.AbsTotal, diff.Total[model.Root], diff.AbsTotal)
	}
	// -base always merges, for pprof's totals.
	sub, _, err := Open(context.Background(), Source{Path: after, Base: before}, false)
	if err != nil || sub.Comparison() == nil || sub.Comparison().Mode != model.SubtractBase {
		t.Fatalf("-base: %v", err)
	}
}
