package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2/container"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// sidePane is the pane beside the graph: the function table (or, when
// comparing, the table of changes) above the callers and callees of the
// function last picked.
type sidePane struct {
	table    *TopTable
	diff     *diffTable
	details  *Details
	insights *insightsPane
	tabs     *container.AppTabs
	// The tabs: Diff only while a comparison is shown.
	functionsTab, diffTab, insightsTab *container.TabItem
	box                                *container.Split

	shown  session.View
	picked string // the function last picked in a table

	// work runs the details' walk of the tree (laneDetails); say reports;
	// graphs are the flame graphs a picked function is highlighted in.
	work   *async
	say    report
	graphs func() []*FlameGraph
	// onPick is called with the function of a row clicked; reveal is set
	// for the function table's rows (bring its largest frame into view).
	onPick func(name string, reveal bool)
}

func newSidePane() *sidePane {
	sp := &sidePane{table: NewTopTable(), diff: newDiffTable(), details: NewDetails(), insights: newInsightsPane()}
	sp.table.OnSelect = func(f model.FuncID) { sp.onPick(sp.shown.Main.Funcs[f].Name, true) }
	sp.diff.OnSelect = func(f model.FuncID) { sp.onPick(sp.shown.CmpNew.Funcs[f].Name, false) }
	sp.details.OnSelect = func(f model.FuncID) { sp.onPick(sp.shown.Detail.Funcs[f].Name, false) }
	sp.functionsTab = container.NewTabItem("Functions", sp.table)
	sp.diffTab = container.NewTabItem("Diff", sp.diff)
	sp.insightsTab = container.NewTabItem("Insights", sp.insights.box)
	sp.tabs = container.NewAppTabs(sp.functionsTab, sp.insightsTab)
	sp.box = container.NewVSplit(sp.tabs, sp.details)
	// The tables get most of the height (a laptop at 150% shows six rows
	// or more); the details below scroll, and the split can be dragged.
	const tablesShare = 0.78
	sp.box.Offset = tablesShare
	// The findings are read more than the details: more room for them.
	sp.tabs.OnSelected = func(tab *container.TabItem) {
		offset := tablesShare
		if tab == sp.insightsTab {
			offset = 0.85
		}
		sp.box.SetOffset(offset)
	}
	return sp
}

// showDiffTab puts the Diff tab beside the function table while a
// comparison is shown, and takes it away when one profile is.
func (sp *sidePane) showDiffTab(on bool) {
	if has := slices.Contains(sp.tabs.Items, sp.diffTab); has == on {
		return
	}
	if on {
		sp.tabs.Items = slices.Insert(slices.Clone(sp.tabs.Items), 1, sp.diffTab)
	} else {
		sp.tabs.Items = slices.DeleteFunc(slices.Clone(sp.tabs.Items), func(t *container.TabItem) bool { return t == sp.diffTab })
	}
	sp.tabs.Refresh()
}

// show lists view v's functions; a comparison's changes come to the front.
func (sp *sidePane) show(v session.View) {
	sp.shown = v
	sp.table.SetMine(nil)                           // until the view's owner is worked out (refreshInsights)
	sp.table.SetRows(slices.Clone(v.Table), v.Main) // the table sorts its rows; stats stay in FuncID order
	sp.showDiffTab(v.Comparing())
	switch {
	case v.Comparing():
		sp.tabs.Select(sp.diffTab)
	case v.Callers == nil:
		sp.tabs.Select(sp.functionsTab)
	}
	sp.details.Clear()
}

// showFrame lists the callers and callees of the function of frame n of
// tree t (a frame selected in a graph); none for the root.
func (sp *sidePane) showFrame(t *model.Tree, n model.NodeID) {
	if t == nil || n <= model.Root {
		sp.details.Clear()
		return
	}
	sp.showDetails(t.Funcs[t.Fn[n]].Name)
}

// showDetails lists the callers and callees of the function named name,
// found off the UI goroutine (a walk of the whole tree); a newer request
// drops an older one's result.
func (sp *sidePane) showDetails(name string) {
	t := sp.shown.Detail
	f, ok := t.FuncByName(name)
	if !ok {
		sp.details.Clear()
		return
	}
	stat, ok := sp.shown.Stat(f)
	if !ok {
		stat = model.FuncStat{Func: f, Name: name}
	}
	owner := sp.insights.owner
	sp.work.run(laneDetails, func(context.Context) func() {
		callers, callees := t.Neighbors(f)
		var yours []model.Edge
		if origins := owner.Origins(t.Funcs); origins[f] != model.OriginMine && (len(owner.Modules) > 0 || len(owner.Packages) > 0) {
			yours = t.NearestCallers(f, func(g model.FuncID) bool { return g >= 0 && origins[g] == model.OriginMine })
		}
		return func() {
			if t == sp.shown.Detail {
				sp.details.ShowEdges(t, stat, callers, callees, yours)
			}
		}
	})
}

// highlight highlights every frame of the function named name in the
// graphs (a table row, a details row or a call graph node was picked) and
// shows its details.
func (sp *sidePane) highlight(name string) {
	if sp.shown.Main == nil {
		return
	}
	markNames(sp.graphs(), []string{name})
	sp.showDetails(name)
	sp.say.say("Highlighted " + name + " — Esc clears")
}
