package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/flamelens/flamelens/model/pproftest"
)

// export -format proto writes what go tool pprof -proto writes for the
// same flags: pprof's -top of the two files is the same, byte for byte.
func TestExportProtoIsWhatPprofWrites(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		flags   []string
		sources []string
	}{
		{"plain", nil, []string{"json.cpu.pprof"}},
		{"focused", []string{"-focus=Unmarshal"}, []string{"json.cpu.pprof"}},
		{"ignored and hidden", []string{"-ignore=Encoder", "-hide=reflect"}, []string{"json.cpu.pprof"}},
		{"by label", []string{"-tagfocus=handler=json"}, []string{"labels.cpu.pprof"}},
		{"heap", []string{"-focus=json"}, []string{"json.mem.pprof"}},
		{"compared", []string{"-diff_base=" + testdata("json-gogcoff.cpu.pprof")}, []string{"json-gogc10.cpu.pprof"}},
		{"subtracted", []string{"-base=" + testdata("json-gogcoff.cpu.pprof")}, []string{"json-gogc10.cpu.pprof"}},
		{"compared and focused", []string{"-diff_base=" + testdata("json-gogcoff.cpu.pprof"), "-focus=decodeState"}, []string{"json-gogc10.cpu.pprof"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sources []string
			for _, s := range tc.sources {
				sources = append(sources, testdata(s))
			}
			ours := filepath.Join(dir, tc.name+"-ours.pb.gz")
			args := append(append([]string{"export", "-format", "proto", "-o", ours}, tc.flags...), sources...)
			if _, errOut, code := runCLI(args...); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			theirs := filepath.Join(dir, tc.name+"-theirs.pb.gz")
			pprof := append(append([]string{"tool", "pprof", "-proto"}, tc.flags...), sources...)
			out, err := exec.Command(pproftest.GoTool(t), pprof...).Output()
			if err != nil {
				t.Fatalf("go %v: %v", pprof, err)
			}
			if err := os.WriteFile(theirs, out, 0o644); err != nil {
				t.Fatal(err)
			}
			top := func(file string) string {
				b, err := exec.Command(pproftest.GoTool(t), "tool", "pprof", "-top", "-nodefraction=0", file).Output()
				if err != nil {
					t.Fatalf("pprof -top %s: %v", file, err)
				}
				return string(b)
			}
			if a, b := top(ours), top(theirs); a != b {
				t.Errorf("go tool pprof -top of ours:\n%s\nof pprof's -proto:\n%s", a, b)
			}
		})
	}
}
