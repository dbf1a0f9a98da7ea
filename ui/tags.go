package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

// tagRow is one line of the tags dialog: a label key, or one of its values.
type tagRow struct {
	text     string
	key, val string // val "" for a key's own row
	numeric  bool   // a numeric key's row
}

// tagRows lists a profile's labels as go tool pprof -tags does: each key
// with the value of the samples carrying it and its share of total, then
// its values, each with its value, share and sample count; numeric keys
// with their range. Values are in unit.
func tagRows(tags []model.Tag, total int64, unit string) []tagRow {
	var rows []tagRow
	for _, t := range tags {
		head := fmt.Sprintf("%s: total %s of %s (%s)", t.Key, model.FormatValue(t.Total, unit),
			model.FormatValue(total, unit), model.Percent(t.Total, total))
		if t.Numeric {
			rows = append(rows, tagRow{text: fmt.Sprintf("%s; numeric, %s to %s", head,
				model.FormatValue(t.Min, t.Unit), model.FormatValue(t.Max, t.Unit)), key: t.Key, numeric: true})
			continue
		}
		rows = append(rows, tagRow{text: head, key: t.Key})
		for _, v := range t.Values {
			rows = append(rows, tagRow{text: fmt.Sprintf("    %s = %s   %s (%s) · %d samples", t.Key, v.Value,
				model.FormatValue(v.Total, unit), model.Percent(v.Total, total), v.Samples), key: t.Key, val: v.Value})
		}
	}
	return rows
}

// tagStep filters on one label value: kind is tagfocus or tagignore.
func tagStep(kind, key, value string) session.Step {
	return session.FilterStep(kind, key+"="+session.ExactName(value))
}

// groupStep puts a label's values at the root of the stacks, a frame per
// value side by side (-tagroot); a numeric label's in power-of-two ranges.
func groupStep(r tagRow) session.Step {
	f := model.Filters{TagRoot: r.key}
	if r.numeric {
		f.TagBuckets = r.key
	}
	return session.Step{Kind: session.StepFilter, Filter: f}
}

// showTags lists the profile's labels; the graph can be grouped by a key
// (-tagroot), and a value focused on or ignored, as -tagfocus and
// -tagignore do.
func (w *MainWindow) showTags() {
	if w.shown.open.loaded.IsZero() {
		whole := w.shown.open.whole
		if whole == nil {
			return // nothing open, or only the flame graph of a profile that could not be read in full
		}
		// The labels are in the samples, which the streamed view has not kept.
		w.status.SetText("Reading the whole profile for its labels…")
		w.work.run(laneNone, func(ctx context.Context) func() {
			if _, err := whole.Loaded(ctx); err != nil {
				return nil
			}
			return w.showTags
		})
		return
	}
	main := w.shown.view.Main
	rows := tagRows(w.shown.open.loaded.Tags(w.shown.sampleIndex), main.AbsTotal, main.SampleType.Unit)
	if len(rows) == 0 {
		dialog.ShowInformation("Tags", "The samples of this profile carry no labels.", w.win)
		return
	}
	var d dialog.Dialog
	list := widget.NewList(
		func() int { return len(rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil,
				container.NewHBox(widget.NewButton("Focus", nil), widget.NewButton("Ignore", nil), widget.NewButton("Group by this label", nil)), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			label := c.Objects[0].(*widget.Label)
			buttons := c.Objects[1].(*fyne.Container)
			label.SetText(rows[i].text)
			label.TextStyle.Bold = rows[i].val == ""
			r := rows[i]
			focus, ignore, group := buttons.Objects[0].(*widget.Button), buttons.Objects[1].(*widget.Button), buttons.Objects[2].(*widget.Button)
			if r.val == "" {
				focus.Hide()
				ignore.Hide()
				group.Show()
				group.OnTapped = func() { d.Hide(); w.filters.add(groupStep(r)) }
				return
			}
			focus.Show()
			ignore.Show()
			group.Hide()
			focus.OnTapped = func() { d.Hide(); w.filters.add(tagStep("tagfocus", r.key, r.val)) }
			ignore.OnTapped = func() { d.Hide(); w.filters.add(tagStep("tagignore", r.key, r.val)) }
		},
	)
	d = dialog.NewCustom("Tags", "Close", list, w.win)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}
