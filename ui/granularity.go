package ui

import (
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
)

// granularityNames are the granularity selector's options, in
// model.Granularities order: pprof's -functions, -filefunctions, -files,
// -lines and -addresses.
var granularityNames = []string{"Functions", "Functions by file", "Files", "Lines", "Addresses"}

// newGranularitySelect is the selector of what a frame stands for, set to
// g; onChange gets the granularity picked.
func newGranularitySelect(g model.Granularity, onChange func(model.Granularity)) *widget.Select {
	sel := widget.NewSelect(granularityNames, nil)
	sel.SetSelectedIndex(int(g))
	sel.OnChanged = func(string) { onChange(granularityOf(sel)) }
	return sel
}

// granularityOf is the granularity sel shows.
func granularityOf(sel *widget.Select) model.Granularity {
	if i := sel.SelectedIndex(); i > 0 && i < len(model.Granularities) {
		return model.Granularities[i]
	}
	return model.Functions
}
