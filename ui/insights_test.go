package ui

import (
	"strings"
	"testing"

	"github.com/flamelens/flamelens/session"
)

// The Insights tab on the built-in sample: the JSON finding first, its
// frames highlighted and focused on from the tab, and the user's code
// set by hand.
func TestInsightsPane(t *testing.T) {
	w := openTest(t, Options{})
	ip := w.side.insights
	if len(ip.findings) == 0 || ip.findings[0].Rule != "encoding" {
		t.Fatalf("findings %+v, want the encoding finding first", ip.findings)
	}
	if !strings.Contains(ip.module.PlaceHolder, "your code: encoding/json") || len(ip.list.Objects) != len(ip.findings) {
		t.Errorf("your code %q, %d cards for %d findings", ip.module.PlaceHolder, len(ip.list.Objects), len(ip.findings))
	}
	// Ctrl+I: the tab, and the largest finding's frames highlighted.
	w.showInsights()
	if w.side.tabs.SelectedIndex() != insightsTab || !strings.HasPrefix(w.status.Text, "Finding 1 of ") {
		t.Errorf("Ctrl+I: tab %d, status %q", w.side.tabs.SelectedIndex(), w.status.Text)
	}
	// Highlight: every frame of the functions behind it is marked.
	names := []string{}
	for _, c := range ip.findings[0].Frames {
		names = append(names, c.Name)
	}
	ip.highlight(names)
	g := w.graph
	tr := g.Tree()
	marked := 0
	for f, on := range g.highlight {
		if on {
			marked++
			if !strings.HasPrefix(tr.Funcs[f].Name, "encoding/json.") {
				t.Errorf("highlighted %s", tr.Funcs[f].Name)
			}
		}
	}
	if marked != len(names) {
		t.Errorf("%d functions highlighted, want %d", marked, len(names))
	}
	// Focus: a filter step keeping the stacks through them; the view
	// shrinks to them and the findings follow it.
	before := w.shown.view.Main.Total[0]
	ip.focus(names)
	w.wait()
	steps := w.filters.Steps()
	if len(steps) != 1 || steps[0].Kind != session.StepFilter || !strings.Contains(steps[0].Filter.Focus, `encoding/json\.Unmarshal`) {
		t.Fatalf("steps after Focus: %+v", steps)
	}
	if after := w.shown.view.Main.Total[0]; after >= before || after < ip.findings[0].Value*9/10 {
		t.Errorf("focused view totals %d (was %d); the finding is %d", after, before, ip.findings[0].Value)
	}
	// The user's code by hand: nothing of the sample is it.
	ip.module.SetText("example.com/none")
	ip.module.OnSubmitted(ip.module.Text)
	w.wait()
	if !strings.Contains(ip.module.PlaceHolder, "your code: example.com/none") {
		t.Errorf("your code %q", ip.module.PlaceHolder)
	}
	for _, f := range ip.findings {
		if len(f.Callers) > 0 {
			t.Errorf("%s: your code %v, with none of the profile the user's", f.Rule, f.Callers)
		}
	}
}
