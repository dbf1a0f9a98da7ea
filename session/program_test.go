package session

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/google/pprof/profile"
)

// TestProgramsFindSaysWhatIsMissing: a profile that names no program,
// and one whose program is nowhere, get ErrNoProgram with what to do.
func TestProgramsFindSaysWhatIsMissing(t *testing.T) {
	info := func(m *profile.Mapping) *model.Info {
		p := &profile.Profile{SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}}}
		if m != nil {
			p.Mapping = []*profile.Mapping{m}
		}
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			t.Fatal(err)
		}
		loaded, err := model.Parse("/profiles/cpu.pprof", b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return &loaded.Info
	}
	t.Setenv("PPROF_BINARY_PATH", t.TempDir())
	var ps Programs
	for _, tc := range []struct {
		name string
		info *model.Info
		want string
	}{
		{"no mapping", info(nil), "does not say which program it sampled: give it with -binary"},
		{"a mapping without a file", info(&profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x500000}), "names no file for it: give its path with -binary"},
		{"a program gone", info(&profile.Mapping{ID: 1, Start: 0x400000, Limit: 0x500000, File: "/build/app", BuildID: "abc"}),
			"/build/app; looked in /build/app, /profiles/app"},
	} {
		_, _, err := ps.Find(tc.info, "")
		if !errors.Is(err, ErrNoProgram) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want ErrNoProgram saying %q", tc.name, err, tc.want)
		}
	}
}

// TestForgetLetsGoOfEverythingKept: a closed profile's tree, line stacks
// and costs per address are all released.
func TestForgetLetsGoOfEverythingKept(t *testing.T) {
	p, err := model.Load("../testdata/json.cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	var vs Views
	l, spec := One(p), Spec{SampleIndex: 1}
	if _, err := vs.View(l, spec); err != nil {
		t.Fatal(err)
	}
	if err := vs.PrepareListing(l, spec); err != nil {
		t.Fatal(err)
	}
	vs.costs.set(p, "k", &addressView{})
	vs.Forget()
	if vs.tree.value != nil || vs.lines.value != nil || vs.costs.value != nil || vs.costs.src != nil {
		t.Errorf("kept after Forget: tree %v, lines %v, costs %v", vs.tree.value != nil, vs.lines.value != nil, vs.costs.value != nil)
	}
}
