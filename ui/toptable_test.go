package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
)

// unitOf is a cell's unit: what follows its number ("s", "MB", "%").
func unitOf(cell string) string {
	return strings.TrimLeft(cell, "+-<0123456789.")
}

// checkColumns fails unless every numeric column of tt writes its nonzero
// values in one unit and is wide enough for each of them, whole.
func checkColumns(t *testing.T, what string, tt *textTable, rows int, cell func(row, col int) string) {
	t.Helper()
	for place, col := range tt.order {
		if col == tt.nameCol {
			continue
		}
		units := map[string]string{}
		for row := range rows {
			c := cell(row, col)
			if c == "0" || c == "new" {
				continue
			}
			units[unitOf(c)] = c
			if w := cellWidth(c); w > tt.widths[place] {
				t.Errorf("%s: column %q is %.0f wide, too narrow for %q (%.0f): it shows cut", what, tt.columns[col], tt.widths[place], c, w)
				break
			}
		}
		if len(units) > 1 {
			t.Errorf("%s: column %q mixes units: %v", what, tt.columns[col], units)
		}
	}
}

func TestTableNumbersAreWholeInOneUnit(t *testing.T) {
	for _, tc := range []struct{ source, sampleType string }{
		{"", ""}, // the sample: 21.22s in all, functions of 10ms
		{"../testdata/json.mem.pprof", "alloc_space"},
		{"../testdata/json.mem.pprof", "alloc_objects"},
	} {
		w := openTest(t, Options{Source: tc.source, SampleIndex: tc.sampleType})
		tab := w.side.table
		tab.SetSort(SortCum)
		checkColumns(t, tc.source+" "+tc.sampleType, tab.table, len(tab.rows), tab.cell)
	}
	w := openComparison(t)
	dt := w.side.diff
	for _, col := range []string{"flat", "cum"} {
		dt.column.SetSelected(col)
		checkColumns(t, "comparison, "+col, dt.table, len(dt.rows), dt.cell)
	}
}

// visibleRows is how many whole rows of tt fit its height.
func visibleRows(tt *textTable) int {
	cell := tt.CreateCell().MinSize().Height
	header := tt.CreateHeader().MinSize().Height
	return int((tt.box.Size().Height - header) / (cell + 1))
}

// On a 1280×800 laptop at 150% the side pane's tables show every column
// (the split gives them the room their numbers need) and enough rows to
// read the top of the profile: the function table showed 3 with cum off
// screen, the diff table 1 with no delta.
func TestTablesOnALaptop(t *testing.T) {
	laptop := fyne.NewSize(1280/1.5, 736/1.5)
	for _, opts := range []Options{
		{Source: "../testdata/json.mem.pprof"},
		{Source: "../testdata/json-gogc10.cpu.pprof", DiffBase: "../testdata/json-gogcoff.cpu.pprof"},
		{Source: "runs", DiffBase: "runs"}, // two sets of runs: the diff table's intervals and p too
	} {
		var w *MainWindow
		if opts.Source == "runs" {
			w = openTest(t, Options{})
			w.CompareRuns([]string{"../testdata/json-gogcoff.cpu.pprof", "../testdata/json.cpu.pprof"},
				[]string{"../testdata/json-gogc10.cpu.pprof", "../testdata/json.cpu.pprof"})
			w.wait()
			awaitRunStats(t, w)
			if !slices.Equal(w.side.diff.table.order[1:], diffRunColumns) {
				t.Fatalf("runs compared: the diff table shows %v", w.side.diff.table.order)
			}
		} else {
			w = openTest(t, opts)
		}
		w.Window().Resize(laptop)
		tt := w.side.table.table
		if opts.DiffBase != "" {
			w.side.tabs.Select(w.side.diffTab)
			tt = w.side.diff.table
		}
		need := float32(minNameWidth)
		for _, c := range tt.widths[1:] {
			need += c
		}
		if got := tt.box.Size().Width; got < need {
			t.Errorf("%s: the table is %.0f wide, its numbers and names need %.0f: %q is off screen", opts.Source, got, need, tt.columns[tt.order[len(tt.order)-1]])
		}
		if n := visibleRows(tt); n < 6 {
			t.Errorf("%s: %d rows of the table on a laptop, want 6 or more", opts.Source, n)
		}
	}
}
