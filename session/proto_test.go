package session

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// A view reshaped by the window's function steps (focus on a function,
// merge one away) or compared is written from its stacks: go tool pprof
// reads the file with the view's flat and cum for every function.
func TestProtoOfAReshapedView(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  Source
		spec Spec
	}{
		{"focused on a function, one merged away", Source{Path: "../testdata/json.cpu.pprof"}, Spec{SampleIndex: 1, Steps: []Step{
			{Kind: StepFocus, Func: "encoding/json.(*decodeState).object"},
			{Kind: StepMerge, Func: "encoding/json.(*decodeState).value"},
			FilterStep("hide", "reflect"),
		}}},
		{"compared and focused", Source{Path: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"},
			Spec{SampleIndex: 1, Steps: []Step{{Kind: StepFocus, Func: "encoding/json.Unmarshal"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, _, err := Open(context.Background(), tc.src)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Proto(l, tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := p.Write(&buf); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "view.pb.gz")
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Stacks(l, tc.spec) // the view's stacks: NEW minus BASE when compared
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]model.FuncStat{}
			for _, r := range s.Functions() {
				want[r.Name] = r
			}
			rows := pproftest.Top(t, path, "nanoseconds")
			if len(rows) != len(want) {
				t.Errorf("pprof lists %d functions, the view %d", len(rows), len(want))
			}
			for _, r := range rows {
				w, ok := want[r.Name]
				if !ok || w.Flat != r.Flat || w.Cum != r.Cum {
					t.Errorf("%s: pprof flat %d cum %d, the view's %+v", r.Name, r.Flat, r.Cum, w)
				}
			}
		})
	}
}
