package session

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// A profile of a program at hand: its build info names the main module,
// so functions of the module's packages are the user's even where no
// file path says so.
func TestInsightsReadTheProgramsBuildInfo(t *testing.T) {
	prog := pproftest.BuildPatterns(t, t.TempDir())
	dir := prog.Run(t, "regexp", "300ms")
	l, _, err := Open(context.Background(), Source{Path: filepath.Join(dir, "cpu.pprof")})
	if err != nil {
		t.Fatal(err)
	}
	_, owner, err := Insights(l, Spec{SampleIndex: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(owner.Modules, "github.com/flamelens/flamelens") {
		t.Errorf("modules %v, want the program's main module", owner.Modules)
	}
	f := model.Func{Function: "github.com/flamelens/flamelens/model.Parse"}
	if owner.Origin(&f) != model.OriginMine {
		t.Errorf("a function of the main module is %v", owner.Origin(&f))
	}
	// -module overrides what the program says.
	_, owner, _ = Insights(l, Spec{SampleIndex: 1}, []string{"example.com/other"})
	if !slices.Equal(owner.Modules, []string{"example.com/other"}) {
		t.Errorf("-module: modules %v", owner.Modules)
	}
}
