package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/flamelens/flamelens/insights"
	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/render"
	"github.com/flamelens/flamelens/session"
)

// Insights are the findings of spec's view of l, root-first (RootFirst),
// and whose code they name as the user's: what the insights formats write
// and what the window's Insights tab lists.
func Insights(l session.Loaded, spec session.Spec, modules []string) ([]insights.Finding, model.Owner, error) {
	return session.Insights(l, RootFirst(spec), modules)
}

// writeInsights writes the findings of spec's view of l: as text, a
// header of # lines then one numbered finding after another, or as JSON.
func writeInsights(w io.Writer, f *Format, l session.Loaded, spec session.Spec, opt Options) error {
	findings, owner, err := Insights(l, spec, opt.Modules)
	if err != nil {
		return err
	}
	if f.Name == "insights-json" {
		if findings == nil {
			findings = []insights.Finding{}
		}
		return writeJSON(w, findings)
	}
	st := l.Info().SampleTypes()[spec.SampleIndex]
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# file: %s\n# type: %s\n", l.Info().Source, st.Name)
	fmt.Fprintf(bw, "# your code: %s\n", owner)
	if len(findings) == 0 {
		what := "this profile"
		if l.Comparison() != nil {
			what = "the change from BASE to NEW"
		}
		fmt.Fprintf(bw, "No findings: nothing in %s reaches a rule's threshold.\n", what)
	}
	for i, f := range findings {
		fmt.Fprintf(bw, "\n%d. %s — %s (%.1f%%)\n", i+1, f.Title, model.FormatValue(f.Value, f.Unit), 100*f.Share)
		fmt.Fprintf(bw, "   %s\n", f.Sentence)
		fmt.Fprintf(bw, "   frames: %s\n", render.CostList(f.Frames, f.Unit))
		if len(f.Callers) > 0 {
			fmt.Fprintf(bw, "   your code: %s\n", render.CostList(f.Callers, f.Unit))
		}
		fmt.Fprintf(bw, "   what helps: %s\n", f.Advice)
		fmt.Fprintf(bw, "   see: %s\n", f.Doc)
	}
	return bw.Flush()
}
