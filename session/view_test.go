package session_test

import (
	"context"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
	"github.com/flamelens/flamelens/session/sessiontest"
)

// TestViewsAreWhatPprofPrints runs the front ends' table of flag
// combinations against the session layer itself: a view's function
// table, and the stacks a table is printed from, have go tool pprof's
// numbers, and a bad combination is refused before anything is read.
func TestViewsAreWhatPprofPrints(t *testing.T) {
	for _, tc := range sessiontest.Cases("../testdata") {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			src := session.Source{Path: tc.File, More: tc.More, DiffBase: tc.DiffBase, Base: tc.Base, Normalize: tc.Normalize}
			var steps []session.Step
			if !tc.Filters.IsZero() {
				steps = append(steps, session.Step{Kind: session.StepFilter, Filter: tc.Filters})
			}
			p, _, err := session.Open(context.Background(), src)
			if tc.Usage != "" {
				if err == nil || err.Error() != tc.Usage {
					t.Errorf("Open: %v, want %q", err, tc.Usage)
				}
				if _, _, _, err := session.OpenTable(context.Background(), src, session.Request{SampleSpec: tc.SampleIndex, Steps: steps}); err == nil || err.Error() != tc.Usage {
					t.Errorf("OpenTable: %v, want %q", err, tc.Usage)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			idx, err := p.Info().SampleIndex(tc.SampleIndex)
			if err != nil {
				t.Fatal(err)
			}
			var views session.Views
			v, err := views.View(p, session.Spec{SampleIndex: idx, Steps: steps})
			if err != nil {
				t.Fatal(err)
			}
			tc.Check(t, sessiontest.Rows(v.Table), v.Main.AbsTotal)
			if v.Comparing() != tc.Comparing() {
				t.Errorf("comparing: %v, want %v", v.Comparing(), tc.Comparing())
			}

			_, s, _, err := session.OpenTable(context.Background(), src, session.Request{SampleSpec: tc.SampleIndex, Steps: steps})
			if err != nil {
				t.Fatal(err)
			}
			tc.Check(t, sessiontest.Rows(s.Functions()), s.AbsTotal)
		})
	}
}

// TestFunctionStepsKeepTheirFunction checks that the steps which reshape
// stacks around a function find it by name whatever the filters did.
func TestFunctionStepsKeepTheirFunction(t *testing.T) {
	p, err := model.Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	const fn = "encoding/json.(*decodeState).object"
	var views session.Views
	spec := session.Spec{Steps: []session.Step{
		session.FilterStep("hide", `runtime\.`),
		{Kind: session.StepFocus, Func: fn},
	}}
	v, err := views.View(session.One(p), spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Main.Name(v.Main.Children(model.Root)[0]); got != fn {
		t.Errorf("focused view starts at %s, want %s", got, fn)
	}
	for _, r := range v.Table {
		if len(r.Name) > 8 && r.Name[:8] == "runtime." {
			t.Errorf("%s survived -hide=runtime\\.", r.Name)
		}
	}
	// The same steps through Stacks: the same table.
	s, err := session.Stacks(session.One(p), spec)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := len(s.Functions()), len(v.Table); a != b {
		t.Errorf("Stacks has %d functions, View %d", a, b)
	}
	// A sandwich shows its callers above the function.
	spec.Steps = append(spec.Steps, session.Step{Kind: session.StepSandwich, Func: fn})
	if v, err = views.View(session.One(p), spec); err != nil {
		t.Fatal(err)
	}
	if v.Callers == nil || v.Detail == v.Main {
		t.Error("a sandwich has no callers tree")
	}
}
