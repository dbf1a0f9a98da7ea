package session

import "github.com/flamelens/flamelens/model"

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
