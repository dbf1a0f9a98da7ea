package session

import (
	"fmt"
	"slices"

	"github.com/flamelens/flamelens/model"
)

// Loaded is what was opened: one profile, or two compared. Views, stacks
// and call graphs are derived from it (Views.View, Stacks, CallGraph).
type Loaded struct {
	info *model.Info
	// profile is the one profile, or for a -base comparison pprof's merge
	// of the two, whose totals need the merge; nil for a -diff_base
	// comparison, whose numbers come from its two sides' stacks.
	profile    *model.Profile
	comparison *model.Comparison
}

// One is p loaded alone. A -diff_base merge (pprof's -proto -diff_base
// output, or folded stacks with two counts a line) is the comparison it
// was made from.
func One(p *model.Profile) Loaded {
	if c := model.SplitDiff(p); c != nil {
		return Loaded{info: &p.Info, comparison: c}
	}
	return Loaded{info: &p.Info, profile: p}
}

// Compare compares two profiles as pprof does for -diff_base or -base
// (mode), -normalize with normalize.
func Compare(base, newP *model.Profile, mode model.DiffMode, normalize bool) (Loaded, error) {
	c, err := model.NewComparison(base, newP, mode, normalize)
	if err != nil {
		return Loaded{}, err
	}
	l := Loaded{info: &newP.Info, comparison: c}
	if mode == model.SubtractBase {
		if l.profile, err = c.PprofMerge(); err != nil {
			return Loaded{}, err
		}
	}
	return l, nil
}

// Info is what the profile (NEW, in a comparison) says of itself; nil
// when nothing is loaded.
func (l Loaded) Info() *model.Info { return l.info }

// Comparison is the two profiles compared, or nil for one profile.
func (l Loaded) Comparison() *model.Comparison { return l.comparison }

// IsZero reports whether nothing is loaded.
func (l Loaded) IsZero() bool { return l.info == nil }

// Tags lists the labels of the samples shown, by key, with their values in
// sample type sampleIndex: NEW's, in a -diff_base comparison.
func (l Loaded) Tags(sampleIndex int) []model.Tag {
	if l.profile != nil {
		return l.profile.Tags(sampleIndex)
	}
	return l.comparison.New.Tags(sampleIndex)
}

// merged is the one profile whose samples give pprof's numbers: the
// profile, or pprof's merge of a comparison.
func (l Loaded) merged() (*model.Profile, error) {
	if l.profile != nil {
		return l.profile, nil
	}
	return l.comparison.PprofMerge()
}

// LabelAgainstRest parts l's profile by a label: the samples whose key
// has value (NEW) and all the others (BASE, scaled to NEW's total), each
// a profile of its own, to compare one instance (a source=, a version=)
// with the rest of a fleet. Label frames (-tagroot) are not kept: the comparison applies
// its own steps.
func LabelAgainstRest(l Loaded, key, value string) (one, rest *model.Profile, err error) {
	p := l.profile
	if p == nil || l.comparison != nil {
		return nil, nil, fmt.Errorf("%s=%s: a comparison cannot be parted by a label", key, value)
	}
	match := key + "=" + ExactName(value)
	side := func(f model.Filters, name string) (*model.Profile, error) {
		fp, err := p.Filter(f)
		if err != nil {
			return nil, err
		}
		if len(fp.Raw.Sample) == 0 {
			return nil, fmt.Errorf("no samples %s", name)
		}
		// A profile of its own: its totals are its samples', not p's.
		return model.NewProfile(fmt.Sprintf("%s (%s)", l.info.Source, name), fp.Format, fp.Raw), nil
	}
	if one, err = side(model.Filters{TagFocus: match}, key+"="+value); err != nil {
		return nil, nil, err
	}
	if rest, err = side(model.Filters{TagIgnore: match}, key+"≠"+value); err != nil {
		return nil, nil, err
	}
	// The rest scaled to the one's total, per sample type (pprof's
	// -normalize): many instances against one, shares compared, not sums.
	if err := rest.Raw.Normalize(one.Raw); err != nil {
		return nil, nil, err
	}
	return one, rest, nil
}

// LabelFrame is the label key and value a frame stands for when steps
// put label frames in the stacks (-tagroot, -tagleaf) and the frame is
// one of them: named by a value, in a "file" named by its key.
func LabelFrame(steps []Step, f model.Func) (key, value string, ok bool) {
	if f.Line != 0 || f.File == "" || f.Name == "" || f.Name == "<unknown>" {
		return "", "", false
	}
	for _, st := range steps {
		if st.Kind != StepFilter {
			continue
		}
		framed := append(model.LabelKeys(st.Filter.TagRoot), model.LabelKeys(st.Filter.TagLeaf)...)
		if slices.Contains(framed, f.File) && !slices.Contains(model.LabelKeys(st.Filter.TagBuckets), f.File) {
			return f.File, f.Name, true
		}
	}
	return "", "", false
}
