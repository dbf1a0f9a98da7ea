package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

// SessionExt is the file name extension of a saved session.
const SessionExt = ".flamelens"

// sessionMarker is the key that makes a JSON file a flamelens session,
// with the format's version as its value.
const sessionMarker = "flamelens_session"

// File is a window's state saved to a small file, so that a colleague
// with the same profiles sees the same view: what is open (paths
// relative to the file when they are beside or below it), the sample
// type, granularity, the filter and view steps, the zoom, the view
// switch, the comparison's view and the search.
type File struct {
	Version int `json:"flamelens_session"`

	Source    string   `json:"source"`
	More      []string `json:"more,omitempty"`
	DiffBase  string   `json:"diff_base,omitempty"`
	Base      string   `json:"base,omitempty"`
	Normalize bool     `json:"normalize,omitempty"`

	SampleType  string     `json:"sample_type,omitempty"`
	Granularity string     `json:"granularity,omitempty"`
	Steps       []FileStep `json:"steps,omitempty"`
	Inverted    bool       `json:"inverted,omitempty"`
	// Zoom is the call path from the root to the frame zoomed to, by name.
	Zoom []string `json:"zoom,omitempty"`
	// View is "graph" for the call graph; CompareView the comparison's
	// ("Differential", "Side by side", …).
	View        string `json:"view,omitempty"`
	CompareView string `json:"compare_view,omitempty"`
	Search      string `json:"search,omitempty"`
	Module      string `json:"module,omitempty"`
}

// FileStep is a Step as a session file writes it: its kind by name.
type FileStep struct {
	Kind string `json:"kind"`
	// Filter is a filter step's filters by flag name: {"focus": "json"}.
	Filter   map[string]string `json:"filter,omitempty"`
	Func     string            `json:"func,omitempty"`
	Function string            `json:"function,omitempty"`
}

var stepKinds = map[StepKind]string{StepFilter: "filter", StepFocus: "focus", StepSandwich: "sandwich", StepMerge: "merge", StepCollapse: "collapse"}

// FileSteps are steps as a session file writes them.
func FileSteps(steps []Step) []FileStep {
	out := make([]FileStep, len(steps))
	for i, st := range steps {
		out[i] = FileStep{Kind: stepKinds[st.Kind], Func: st.Func, Function: st.Function}
		for _, name := range model.FilterNames {
			if v := *st.Filter.Field(name); v != "" {
				if out[i].Filter == nil {
					out[i].Filter = map[string]string{}
				}
				out[i].Filter[name] = v
			}
		}
	}
	return out
}

// StepsOf are the file's steps; an unknown kind is an error naming it.
func (f *File) StepsOf() ([]Step, error) {
	out := make([]Step, len(f.Steps))
	for i, fs := range f.Steps {
		kind := StepKind(-1)
		for k, name := range stepKinds {
			if name == fs.Kind {
				kind = k
			}
		}
		if kind < 0 {
			return nil, fmt.Errorf("step %d: unknown kind %q (known: filter, focus, sandwich, merge, collapse)", i+1, fs.Kind)
		}
		out[i] = Step{Kind: kind, Func: fs.Func, Function: fs.Function}
		for name, v := range fs.Filter {
			field := out[i].Filter.Field(name)
			if field == nil {
				return nil, fmt.Errorf("step %d: unknown filter %q (known: %s)", i+1, name, strings.Join(model.FilterNames, ", "))
			}
			*field = v
		}
	}
	return out, nil
}

// IsSessionFile reports whether path names a saved session: by its
// extension, or a JSON file that says it is one.
func IsSessionFile(path string) bool {
	if strings.HasSuffix(strings.ToLower(path), SessionExt) {
		return true
	}
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		return false
	}
	data, err := os.ReadFile(path)
	return err == nil && bytes.Contains(data[:min(len(data), 200)], []byte(`"`+sessionMarker+`"`))
}

// ReadFile reads a saved session; its paths are made absolute from the
// file's folder.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a flamelens session: %v", path, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%s: not a flamelens session of a version this flamelens reads (%s %d; reads 1)", path, sessionMarker, f.Version)
	}
	if f.Source == "" {
		return nil, fmt.Errorf("%s: the session names no source", path)
	}
	if _, err := f.StepsOf(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	dir := filepath.Dir(path)
	resolve := func(p string) string {
		if p == "" || filepath.IsAbs(p) || fetch.IsRemote(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	f.Source, f.DiffBase, f.Base = resolve(f.Source), resolve(f.DiffBase), resolve(f.Base)
	for i := range f.More {
		f.More[i] = resolve(f.More[i])
	}
	return &f, nil
}

// WriteFile saves f at path, paths beside or below the file's folder
// written relative to it.
func (f File) WriteFile(path string) error {
	f.Version = 1
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	relative := func(p string) string {
		if p == "" || fetch.IsRemote(p) {
			return p
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		if rel, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
		return abs
	}
	f.Source, f.DiffBase, f.Base = relative(f.Source), relative(f.DiffBase), relative(f.Base)
	f.More = append([]string(nil), f.More...)
	for i := range f.More {
		f.More[i] = relative(f.More[i])
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
